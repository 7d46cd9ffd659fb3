#include "recaptiondialog.h"

#include "backgroundtask.h"
#include "curation.h"
#include "jobstore.h"
#include "project.h"
#include "recaptionhttp.h"
#include "recaptionkeys.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace facet {

namespace {

constexpr int kEstimateDelayMs = 300; // typing in the prompt should not start an estimate per key

QLabel* makeNote(QWidget* parent, const QString& name)
{
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText); // server and core messages are never rich text
    return label;
}

} // namespace

RecaptionDialog::RecaptionDialog(const QString& projectPath, const QList<ItemId>& selection, const QString& filter,
                                 qint64 filterCount, bool useFilter, QWidget* parent)
    : QDialog(parent)
    , m_projectPath(projectPath)
    , m_selection(selection)
    , m_filter(filter)
{
    setObjectName(u"recaptionDialog"_s);
    setWindowTitle(tr("Recaption"));

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_provider = new QComboBox(this);
    m_provider->setObjectName(u"providerCombo"_s);
    m_provider->addItem(tr("OpenAI"), providerKey(ProviderKind::OpenAi));
    m_provider->addItem(tr("OpenAI-compatible server (vLLM, llama.cpp, LM Studio…)"),
                        providerKey(ProviderKind::OpenAiCompatible));
    m_provider->addItem(tr("Ollama"), providerKey(ProviderKind::Ollama));
    form->addRow(tr("&Provider:"), m_provider);

    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(u"baseUrlEdit"_s);
    form->addRow(tr("&Base URL:"), m_baseUrl);

    m_model = new QComboBox(this);
    m_model->setObjectName(u"modelCombo"_s);
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setMinimumContentsLength(28);
    m_refresh = new QPushButton(tr("Re&fresh"), this);
    m_refresh->setObjectName(u"refreshModelsButton"_s);
    m_refresh->setToolTip(tr("Ask the server which models it serves"));
    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(m_refresh);
    auto* modelLabel = new QLabel(tr("&Model:"), this); // a row of a layout gets no buddy by itself
    modelLabel->setBuddy(m_model);
    form->addRow(modelLabel, modelRow);
    m_modelStatus = makeNote(this, u"modelStatus"_s);
    form->addRow(QString(), m_modelStatus);

    m_prompt = new QPlainTextEdit(this);
    m_prompt->setObjectName(u"promptEdit"_s);
    m_prompt->setPlainText(shareGpt4vPrompt());
    m_prompt->setTabChangesFocus(true);
    m_prompt->setMinimumHeight(120);
    form->addRow(tr("P&rompt:"), m_prompt);
    auto* variables = makeNote(this, u"promptVariables"_s);
    variables->setText(tr("Variables: {caption} the current caption, {source} the source name, {id} the record id. "
                          "The image is always sent."));
    variables->setEnabled(false);
    form->addRow(QString(), variables);

    m_maxTokens = new QSpinBox(this);
    m_maxTokens->setObjectName(u"maxTokensSpin"_s);
    m_maxTokens->setRange(16, 32768);
    m_maxTokens->setValue(RecaptionSettings{}.maxTokens);
    form->addRow(tr("Max &tokens per caption:"), m_maxTokens);

    m_detail = new QComboBox(this);
    m_detail->setObjectName(u"detailCombo"_s);
    m_detail->addItem(tr("auto"), u"auto"_s);
    m_detail->addItem(tr("low (85 tokens per image)"), u"low"_s);
    m_detail->addItem(tr("high"), u"high"_s);
    m_detailLabel = new QLabel(tr("Image &detail:"), this);
    m_detailLabel->setBuddy(m_detail);
    form->addRow(m_detailLabel, m_detail);

    m_concurrency = new QSpinBox(this);
    m_concurrency->setObjectName(u"concurrencySpin"_s);
    m_concurrency->setRange(1, 256);
    m_concurrency->setValue(8);
    form->addRow(tr("&Concurrent requests:"), m_concurrency);

    auto* scope = new QGroupBox(tr("Items"), this);
    auto* scopeLayout = new QVBoxLayout(scope);
    m_scopeSelection = new QRadioButton(tr("The selection (%Ln item(s))", nullptr, int(selection.size())), scope);
    m_scopeSelection->setObjectName(u"scopeSelection"_s);
    m_scopeFilter = new QRadioButton(
        filter.isEmpty() ? tr("Everything (%Ln item(s))", nullptr, int(filterCount))
                         : tr("Everything matching “%1” (%Ln item(s))", nullptr, int(filterCount)).arg(filter),
        scope);
    m_scopeFilter->setObjectName(u"scopeFilter"_s);
    scopeLayout->addWidget(m_scopeSelection);
    scopeLayout->addWidget(m_scopeFilter);
    m_scopeSelection->setEnabled(!selection.isEmpty());
    (useFilter || selection.isEmpty() ? m_scopeFilter : m_scopeSelection)->setChecked(true);

    m_estimate = makeNote(this, u"estimateLabel"_s);
    m_keyNote = makeNote(this, u"keyNote"_s);
    m_error = makeNote(this, u"errorLabel"_s);
    m_error->setStyleSheet(u"color: #b3261e;"_s);
    m_error->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_start = buttons->addButton(tr("&Start"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(u"startButton"_s);
    m_start->setDefault(true);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_start, &QPushButton::clicked, this, &RecaptionDialog::start);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(scope);
    auto* estimateBox = new QGroupBox(tr("Estimate"), this);
    auto* estimateLayout = new QVBoxLayout(estimateBox);
    estimateLayout->addWidget(m_estimate);
    layout->addWidget(estimateBox);
    layout->addWidget(m_keyNote);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(640, 720);

    m_estimateTimer = new QTimer(this);
    m_estimateTimer->setSingleShot(true);
    m_estimateTimer->setInterval(kEstimateDelayMs);
    connect(m_estimateTimer, &QTimer::timeout, this, &RecaptionDialog::runEstimate);

    connect(m_provider, &QComboBox::currentIndexChanged, this, &RecaptionDialog::onProviderChanged);
    connect(m_refresh, &QPushButton::clicked, this, &RecaptionDialog::refreshModels);
    connect(m_baseUrl, &QLineEdit::editingFinished, this, [this] {
        updateKeyNote();
        refreshModels();
    });
    connect(m_model, &QComboBox::currentTextChanged, this, &RecaptionDialog::scheduleEstimate);
    connect(m_prompt, &QPlainTextEdit::textChanged, this, &RecaptionDialog::scheduleEstimate);
    connect(m_maxTokens, &QSpinBox::valueChanged, this, &RecaptionDialog::scheduleEstimate);
    connect(m_detail, &QComboBox::currentIndexChanged, this, &RecaptionDialog::scheduleEstimate);
    connect(m_scopeSelection, &QRadioButton::toggled, this, &RecaptionDialog::scheduleEstimate);

    m_provider->setCurrentIndex(1); // a local server is the common case; no key, no cost
    onProviderChanged();
}

RecaptionSettings RecaptionDialog::settings() const
{
    RecaptionSettings s;
    s.provider = providerFromKey(m_provider->currentData().toString()).value_or(ProviderKind::OpenAi);
    s.baseUrl = m_baseUrl->text().trimmed();
    s.model = m_model->currentText().trimmed();
    s.prompt = m_prompt->toPlainText();
    s.maxTokens = m_maxTokens->value();
    s.detail = m_detail->currentData().toString();
    s.concurrency = m_concurrency->value();
    return s;
}

Selection RecaptionDialog::selection() const
{
    Selection sel;
    if (m_scopeSelection->isChecked())
        sel.itemIds = m_selection;
    else if (m_filter.isEmpty())
        sel.all = true;
    else
        sel.filter = m_filter;
    return sel;
}

void RecaptionDialog::setProvider(ProviderKind kind)
{
    const int index = m_provider->findData(providerKey(kind));
    if (index >= 0)
        m_provider->setCurrentIndex(index);
}

void RecaptionDialog::onProviderChanged()
{
    const ProviderKind kind = settings().provider;
    m_baseUrl->setText(defaultBaseUrl(kind));
    m_baseUrl->setPlaceholderText(defaultBaseUrl(kind));
    const bool openAi = kind == ProviderKind::OpenAi;
    m_detail->setVisible(openAi);
    m_detailLabel->setVisible(openAi);
    updateKeyNote();
    refreshModels();
    scheduleEstimate();
}

void RecaptionDialog::updateKeyNote()
{
    const RecaptionSettings s = settings();
    const ApiKeys::Found key = ApiKeys::lookup(s.provider, s.effectiveBaseUrl());
    if (!key.key.isEmpty()) {
        m_keyNote->setText(key.origin == u"keychain"_s ? tr("API key: from the system keychain.")
                                                       : tr("API key: from $%1.").arg(key.origin));
        m_keyNote->setStyleSheet(QString());
    } else if (ApiKeys::required(s.provider)) {
        m_keyNote->setText(tr("No API key: set OPENAI_API_KEY in the environment (or store the key in the system "
                              "keychain with the command line) and reopen this dialog. OpenAI refuses requests "
                              "without one."));
        m_keyNote->setStyleSheet(u"color: #b3261e;"_s);
    } else {
        m_keyNote->setText(tr("No API key (none needed for most local servers; FACET_API_KEY sets one)."));
        m_keyNote->setStyleSheet(QString());
    }
}

void RecaptionDialog::refreshModels()
{
    const RecaptionSettings s = settings();
    const quint64 generation = ++m_modelGeneration;
    m_modelsLoaded = false;
    m_refresh->setEnabled(false);
    m_modelStatus->setStyleSheet(QString());
    m_modelStatus->setText(tr("Asking %1 for its models…").arg(s.effectiveBaseUrl()));
    // The key is looked up here (keychain calls belong on the GUI thread) and lives only in the task.
    const QString key = ApiKeys::lookup(s.provider, s.effectiveBaseUrl()).key;
    if (key.isEmpty() && ApiKeys::required(s.provider)) {
        // OpenAI answers every request without a key with 401: say why instead of asking.
        m_refresh->setEnabled(true);
        m_modelStatus->setStyleSheet(u"color: #b3261e;"_s);
        m_modelStatus->setText(tr("Listing the models needs an API key; type the model name or set one first."));
        return;
    }
    runInBackground(
        this, [s, key] { return fetchModelList(s, key); },
        [this, generation](std::optional<QStringList> models, const QString& error) {
            if (generation != m_modelGeneration)
                return;
            m_refresh->setEnabled(true);
            if (!models) {
                m_modelStatus->setStyleSheet(u"color: #b3261e;"_s);
                m_modelStatus->setText(tr("Could not list the models: %1").arg(error));
                return;
            }
            const QString typed = m_model->currentText();
            m_model->clear();
            m_model->addItems(*models);
            const int keep = m_model->findText(typed);
            m_model->setCurrentIndex(keep >= 0 ? keep : (models->isEmpty() ? -1 : 0));
            m_modelStatus->setText(models->isEmpty() ? tr("The server lists no models; type the name.")
                                                     : tr("%n model(s) on the server.", nullptr, int(models->size())));
            m_modelsLoaded = true;
            scheduleEstimate();
        });
}

void RecaptionDialog::scheduleEstimate()
{
    m_estimateReady = false;
    m_estimate->setText(tr("Estimating…"));
    m_estimateTimer->start();
}

void RecaptionDialog::runEstimate()
{
    const RecaptionSettings s = settings();
    const Selection sel = selection();
    if (sel.isEmpty()) {
        m_estimate->setText(tr("Nothing selected."));
        return;
    }
    const quint64 generation = ++m_estimateGeneration;
    const QString path = m_projectPath;
    runInBackground(
        this,
        [path, s, sel] {
            const auto project = Project::open(path, Project::OpenMode::ReadOnly);
            JobStore store(*project);
            return store.estimate(sel, s);
        },
        [this, generation](std::optional<RecaptionEstimate> e, const QString& error) {
            if (generation != m_estimateGeneration)
                return;
            if (!e) {
                m_estimate->setText(tr("No estimate: %1").arg(error));
                return;
            }
            const QLocale locale;
            QString text = tr("%Ln image(s) to send", nullptr, int(e->items));
            if (e->withoutImage > 0)
                text += tr(" (%Ln item(s) without an image are skipped)", nullptr, int(e->withoutImage));
            text += u'\n'
                    + tr("Input: about %1 tokens (%2 image, %3 text). Output: at most %4 tokens.")
                          .arg(locale.toString(e->inputTokens), locale.toString(e->imageTokens),
                               locale.toString(e->textTokens), locale.toString(e->outputTokens));
            if (e->cost)
                text += u'\n'
                        + tr("Cost: at most about $%1 (prices for %2).")
                              .arg(locale.toString(*e->cost, 'f', 2), e->price ? e->price->model : e->model);
            else if (e->model.isEmpty())
                text += u'\n' + tr("Cost: choose a model to see it.");
            else
                text += u'\n'
                        + tr("Cost: unknown (no price for “%1” in the project's price table; "
                             "facet jobs PROJECT --set-price sets one).")
                              .arg(e->model);
            m_estimate->setText(text);
            m_estimateReady = true;
        });
}

void RecaptionDialog::start()
{
    if (m_starting)
        return;
    const RecaptionSettings s = settings();
    const Selection sel = selection();
    QString problem = s.validate();
    if (problem.isEmpty() && s.model.isEmpty())
        problem = tr("Choose a model.");
    if (problem.isEmpty() && ApiKeys::required(s.provider)
        && ApiKeys::lookup(s.provider, s.effectiveBaseUrl()).key.isEmpty())
        problem = tr("No API key for OpenAI: set OPENAI_API_KEY (or store one in the system keychain) first.");
    if (problem.isEmpty() && sel.isEmpty())
        problem = tr("Nothing selected.");
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        m_error->show();
        return;
    }
    m_error->hide();
    m_starting = true;
    m_start->setEnabled(false);
    const QString path = m_projectPath;
    runInBackground(
        this,
        [path, s, sel] {
            const auto project = Project::open(path);
            JobStore store(*project);
            const RecaptionEstimate estimate = store.estimate(sel, s);
            return store.createJob(s, sel, Curation::defaultReviewer(), estimate);
        },
        [this](std::optional<std::int64_t> job, const QString& error) {
            m_starting = false;
            m_start->setEnabled(true);
            if (!job) {
                m_error->setText(error);
                m_error->show();
                return;
            }
            Q_EMIT jobCreated(*job);
            accept();
        });
}

} // namespace facet
