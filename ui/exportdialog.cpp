#include "exportdialog.h"

#include "jobprogresswidget.h"
#include "jobrunner.h"
#include "statuscolors.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QVBoxLayout>

namespace facet {

ExportDialog::ExportDialog(const QString& projectPath, const QString& filter, const QList<ItemId>& selected,
                           QWidget* parent)
    : QDialog(parent)
    , m_runner(new JobRunner(projectPath, false, this)) // falls back to read-only by itself
    , m_filter(filter)
    , m_selected(selected)
{
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export"));
    setMinimumWidth(540);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    auto* outRow = new QHBoxLayout;
    m_output = new QLineEdit(this);
    m_output->setObjectName(QStringLiteral("exportOutput"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    outRow->addWidget(m_output, 1);
    outRow->addWidget(browse);
    auto* outLabel = new QLabel(tr("&Output file:"), this);
    outLabel->setBuddy(m_output); // a row holding a layout gets no buddy, so its mnemonic would show as "&"
    form->addRow(outLabel, outRow);
    const QFileInfo project(projectPath);
    m_output->setText(
        QDir(project.absolutePath()).filePath(project.completeBaseName() + QStringLiteral("_export.jsonl")));

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("exportFormat"));
    m_format->addItem(tr("ShareGPT4V / LLaVA conversations (lossless)"), QStringLiteral("sharegpt4v"));
    m_format->addItem(tr("Flat records with facets and provenance"), QStringLiteral("flat"));
    form->addRow(tr("&Format:"), m_format);

    m_array = new QCheckBox(tr("One JSON array instead of JSON Lines"), this);
    m_array->setObjectName(QStringLiteral("exportArray"));
    form->addRow(QString(), m_array);
    connect(m_array, &QCheckBox::toggled, this, [this](bool array) {
        QString out = m_output->text();
        const QString from = array ? QStringLiteral(".jsonl") : QStringLiteral(".json");
        const QString to = array ? QStringLiteral(".json") : QStringLiteral(".jsonl");
        if (out.endsWith(from)) {
            out.chop(from.size());
            m_output->setText(out + to);
        }
    });

    auto* which = new QVBoxLayout;
    auto* group = new QButtonGroup(this);
    m_accepted = new QRadioButton(tr("Accepted items"), this);
    m_accepted->setObjectName(QStringLiteral("exportAccepted"));
    m_byFilter = new QRadioButton(
        filter.isEmpty() ? tr("All items (no filter is set)") : tr("Items matching the filter: %1").arg(filter), this);
    m_byFilter->setObjectName(QStringLiteral("exportFilter"));
    m_bySelection = new QRadioButton(tr("Selected items (%1)").arg(QLocale().toString(selected.size())), this);
    m_bySelection->setObjectName(QStringLiteral("exportSelection"));
    m_bySelection->setEnabled(!selected.isEmpty());
    for (QRadioButton* b : {m_accepted, m_byFilter, m_bySelection}) {
        group->addButton(b);
        which->addWidget(b);
    }
    m_accepted->setChecked(true);
    form->addRow(tr("Export:"), which);
    layout->addLayout(form);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("exportMessage"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(m_message);

    m_progress = new JobProgressWidget(this);
    m_progress->attach(m_runner);
    layout->addWidget(m_progress);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_exportButton = m_buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    m_exportButton->setObjectName(QStringLiteral("exportStart"));
    m_exportButton->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ExportDialog::startExport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    layout->addWidget(m_buttons);

    m_form = {m_output, browse, m_format, m_array, m_accepted, m_byFilter, m_bySelection, m_exportButton};
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_runner, &JobRunner::finished, this, &ExportDialog::finished);
}

void ExportDialog::setOutput(const QString& path)
{
    m_output->setText(path);
}

ExportOptions ExportDialog::options() const
{
    ExportOptions o;
    o.output = m_output->text().trimmed();
    o.format = m_format->currentData().toString() == u"flat" ? ExportFormat::Flat : ExportFormat::ShareGpt4v;
    o.array = m_array->isChecked();
    if (m_accepted->isChecked()) {
        o.selection.filter = QStringLiteral("status:accepted");
    } else if (m_byFilter->isChecked()) {
        o.selection.filter = m_filter;
        o.selection.all = m_filter.isEmpty();
    } else {
        o.selection.itemIds = m_selected;
    }
    return o;
}

void ExportDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export to"), m_output->text(),
                                                      tr("JSON Lines (*.jsonl);;JSON (*.json);;All files (*)"));
    if (!path.isEmpty()) {
        m_output->setText(path);
        m_replaceConfirmed = QFileInfo(path).absoluteFilePath(); // the file dialog asked already
    }
}

void ExportDialog::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    QPalette pal = palette();
    if (error)
        pal.setColor(QPalette::WindowText, StatusColors::color(Status::Rejected));
    m_message->setPalette(pal);
    m_message->setVisible(!text.isEmpty());
}

bool ExportDialog::startExport()
{
    if (m_runner->isRunning())
        return false;
    const ExportOptions opts = options();
    if (opts.output.isEmpty()) {
        showMessage(tr("Choose the file to write."), true);
        return false;
    }
    const QFileInfo out(opts.output);
    if (!out.absoluteDir().exists()) {
        showMessage(tr("The folder %1 does not exist.").arg(out.absolutePath()), true);
        return false;
    }
    if (out.exists() && out.absoluteFilePath() != m_replaceConfirmed) {
        // A typed path to an earlier export: replacing it loses that export, so ask first.
        auto* box = new QMessageBox(QMessageBox::Question, tr("Replace File"),
                                    tr("%1 already exists. Replace it with this export?").arg(out.absoluteFilePath()),
                                    QMessageBox::Cancel, this);
        box->setObjectName(QStringLiteral("exportReplace"));
        box->setTextFormat(Qt::PlainText);
        QPushButton* replace = box->addButton(tr("&Replace"), QMessageBox::AcceptRole);
        replace->setObjectName(QStringLiteral("exportReplaceConfirm"));
        box->setDefaultButton(QMessageBox::Cancel);
        box->setAttribute(Qt::WA_DeleteOnClose);
        const QString path = out.absoluteFilePath();
        connect(box, &QMessageBox::buttonClicked, this, [this, replace, path](QAbstractButton* clicked) {
            if (clicked != replace)
                return;
            m_replaceConfirmed = path;
            startExport();
        });
        box->open();
        return false;
    }
    showMessage(QString(), false);
    for (QWidget* w : std::as_const(m_form))
        w->setEnabled(false);
    m_report = std::make_shared<ExportReport>();
    auto report = m_report;
    m_runner->start(tr("Exporting"), [opts, report](Project& project, const Progress& progress) {
        *report = Exporter(project).run(opts, progress);
        return QString();
    });
    return true;
}

void ExportDialog::finished(bool ok, bool cancelled, const QString& message)
{
    for (QWidget* w : std::as_const(m_form))
        w->setEnabled(true);
    m_bySelection->setEnabled(!m_selected.isEmpty());
    if (cancelled) {
        showMessage(tr("Export cancelled; no file was written."), false);
        return;
    }
    if (!ok) {
        showMessage(message, true);
        return;
    }
    Q_EMIT exported(m_output->text().trimmed(), m_report->written);
    accept();
}

void ExportDialog::reject()
{
    if (m_runner->isRunning()) {
        m_runner->cancel();
        return;
    }
    QDialog::reject();
}

} // namespace facet
