#include "importdialog.h"

#include "jobprogresswidget.h"
#include "jobrunner.h"
#include "statuscolors.h"

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
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace facet {

namespace {

// Paths are separated by ';' in the line edit: it cannot appear in a path on Windows and is rare
// elsewhere, unlike spaces or commas.
constexpr QChar kSeparator = u';';

const QString kLastDirKey = QStringLiteral("import/lastDir");

} // namespace

ImportDialog::ImportDialog(const QString& projectPath, QWidget* parent)
    : QDialog(parent)
    , m_runner(new JobRunner(projectPath, false, this))
{
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Import"));
    setMinimumWidth(560);
    auto* layout = new QVBoxLayout(this);

    auto* intro = new QLabel(tr("Import records from ShareGPT4V/LLaVA JSON or JSONL, Share-Captioner output, "
                                "WebDataset .tar shards, or a folder of images with .txt captions. Images stay "
                                "where they are; re-importing the same file changes nothing."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    auto* filesRow = new QHBoxLayout;
    m_files = new QLineEdit(this);
    m_files->setObjectName(QStringLiteral("importFiles"));
    m_files->setPlaceholderText(tr("A .json, .jsonl or .tar file, or a folder"));
    m_files->setToolTip(tr("One or more files, separated by ';'"));
    auto* browseFiles = new QPushButton(tr("Files…"), this);
    auto* browseFolder = new QPushButton(tr("Folder…"), this);
    filesRow->addWidget(m_files, 1);
    filesRow->addWidget(browseFiles);
    filesRow->addWidget(browseFolder);
    auto* filesLabel = new QLabel(tr("&Source:"), this);
    filesLabel->setBuddy(m_files); // a row holding a layout gets no buddy, so its mnemonic would show as "&"
    form->addRow(filesLabel, filesRow);

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("importFormat"));
    const std::pair<SourceFormat, QString> formats[] = {
        {SourceFormat::Auto, tr("Detect automatically")},
        {SourceFormat::ShareGpt4v, tr("ShareGPT4V / LLaVA JSON array")},
        {SourceFormat::Jsonl, tr("JSONL (one record per line)")},
        {SourceFormat::ShareCaptioner, tr("Share-Captioner output")},
        {SourceFormat::WebDataset, tr("WebDataset .tar shards")},
        {SourceFormat::Folder, tr("Folder of images with .txt captions")},
    };
    for (const auto& [format, label] : formats)
        m_format->addItem(label, sourceFormatKey(format));
    form->addRow(tr("&Format:"), m_format);

    auto* imagesRow = new QHBoxLayout;
    m_images = new QLineEdit(this);
    m_images->setObjectName(QStringLiteral("importImages"));
    m_images->setPlaceholderText(tr("Default: the folder of the source file"));
    auto* browseImages = new QPushButton(tr("Browse…"), this);
    imagesRow->addWidget(m_images, 1);
    imagesRow->addWidget(browseImages);
    auto* imagesLabel = new QLabel(tr("&Images folder:"), this);
    imagesLabel->setBuddy(m_images);
    form->addRow(imagesLabel, imagesRow);

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("importName"));
    m_name->setPlaceholderText(tr("Default: the file name"));
    form->addRow(tr("&Name:"), m_name);

    m_strict = new QCheckBox(tr("Strict: import nothing if any record is bad"), this);
    m_strict->setObjectName(QStringLiteral("importStrict"));
    form->addRow(QString(), m_strict);
    layout->addLayout(form);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("importMessage"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(m_message);

    m_progress = new JobProgressWidget(this);
    m_progress->attach(m_runner);
    layout->addWidget(m_progress);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_importButton = m_buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    m_importButton->setObjectName(QStringLiteral("importStart"));
    m_importButton->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ImportDialog::startImport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportDialog::reject);
    layout->addWidget(m_buttons);

    m_form = {m_files, browseFiles, browseFolder, m_format, m_images, browseImages, m_name, m_strict, m_importButton};

    connect(browseFiles, &QPushButton::clicked, this, &ImportDialog::browseFiles);
    connect(browseFolder, &QPushButton::clicked, this, &ImportDialog::browseFolder);
    connect(browseImages, &QPushButton::clicked, this, &ImportDialog::browseImages);
    connect(m_runner, &JobRunner::finished, this, &ImportDialog::finished);
}

ImportDialog::~ImportDialog() = default;

void ImportDialog::setFiles(const QStringList& files)
{
    m_files->setText(files.join(kSeparator));
}

QStringList ImportDialog::files() const
{
    QStringList out;
    for (const QString& part : m_files->text().split(kSeparator, Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out << part.trimmed();
    return out;
}

ImportOptions ImportDialog::options() const
{
    ImportOptions o;
    o.imageRoot = m_images->text().trimmed();
    o.name = m_name->text().trimmed();
    sourceFormatFromKey(m_format->currentData().toString(), &o.format);
    o.strict = m_strict->isChecked();
    return o;
}

bool ImportDialog::isRunning() const
{
    return m_runner->isRunning();
}

void ImportDialog::browseFiles()
{
    QSettings settings;
    const QStringList chosen = QFileDialog::getOpenFileNames(this, tr("Choose files to import"),
                                                             settings.value(kLastDirKey, QDir::homePath()).toString(),
                                                             tr("Datasets (*.json *.jsonl *.tar);;All files (*)"));
    if (chosen.isEmpty())
        return;
    settings.setValue(kLastDirKey, QFileInfo(chosen.first()).absolutePath());
    setFiles(chosen);
}

void ImportDialog::browseFolder()
{
    QSettings settings;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a folder to import"),
                                                          settings.value(kLastDirKey, QDir::homePath()).toString());
    if (dir.isEmpty())
        return;
    settings.setValue(kLastDirKey, dir);
    setFiles({dir});
}

void ImportDialog::browseImages()
{
    const QString start = m_images->text().isEmpty() && !files().isEmpty() ? QFileInfo(files().first()).absolutePath()
                                                                           : m_images->text();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder the image paths are relative to"), start);
    if (!dir.isEmpty())
        m_images->setText(dir);
}

void ImportDialog::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    QPalette pal = palette();
    if (error)
        pal.setColor(QPalette::WindowText, StatusColors::color(Status::Rejected));
    m_message->setPalette(pal);
    m_message->setVisible(!text.isEmpty());
}

void ImportDialog::setFormEnabled(bool enabled)
{
    for (QWidget* w : std::as_const(m_form))
        w->setEnabled(enabled);
}

bool ImportDialog::startImport()
{
    if (m_runner->isRunning())
        return false;
    const QStringList paths = files();
    if (paths.isEmpty()) {
        showMessage(tr("Choose a file or folder to import."), true);
        m_files->setFocus();
        return false;
    }
    for (const QString& p : paths) {
        if (!QFileInfo::exists(p)) {
            showMessage(tr("%1 does not exist.").arg(p), true);
            return false;
        }
    }
    const ImportOptions opts = options();
    if (!opts.imageRoot.isEmpty() && !QFileInfo(opts.imageRoot).isDir()) {
        showMessage(tr("The images folder %1 does not exist.").arg(opts.imageRoot), true);
        return false;
    }
    showMessage(QString(), false);
    setFormEnabled(false);
    m_report = std::make_shared<ImportReport>();
    auto report = m_report;
    m_runner->start(tr("Importing"), [paths, opts, report](Project& project, const Progress& progress) {
        *report = Importer(project).run(paths, opts, progress);
        return QString();
    });
    return true;
}

void ImportDialog::finished(bool ok, bool cancelled, const QString& message)
{
    setFormEnabled(true);
    if (cancelled) {
        showMessage(tr("Import cancelled. Files that were completely imported stay; the interrupted one left "
                       "nothing behind."),
                    false);
        return;
    }
    if (!ok) {
        showMessage(message, true);
        return;
    }
    Q_EMIT imported(*m_report);
    accept();
}

void ImportDialog::reject()
{
    if (m_runner->isRunning()) {
        m_runner->cancel();
        return;
    }
    QDialog::reject();
}

} // namespace facet
