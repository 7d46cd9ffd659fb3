#pragma once

#include "query.h"
#include "recaption.h"
#include "types.h"

#include <QDialog>
#include <QList>

#include <cstdint>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTimer;

namespace facet {

/**
 * "Recaption…": provider, base URL, a model picked from the server's own list, the prompt (the
 * ShareGPT4V prompt by default), limits and concurrency, the scope (the selected items or everything
 * matching the filter) and a live estimate of what the job sends and costs. Fetching models,
 * estimating and creating the job run off the GUI thread on their own project connections. The API
 * key is looked up the way the core does (environment, then keychain) and never shown or stored
 * here. Start creates the job and emits jobCreated(); the jobs panel runs it.
 */
class RecaptionDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecaptionDialog)

public:
    /** `selection`: the grid's selected items; `filter`/`filterCount`: the search box and its matches. */
    RecaptionDialog(const QString& projectPath, const QList<ItemId>& selection, const QString& filter,
                    qint64 filterCount, bool useFilter, QWidget* parent = nullptr);

    /** The settings as the form shows them (no key: settings never hold one). */
    RecaptionSettings settings() const;
    /** What Start would recaption. */
    Selection selection() const;

    void setProvider(ProviderKind kind);
    /** Fetches the server's model list (off the GUI thread); the combo fills when it arrives. */
    void refreshModels();
    /** Validates, then creates the job off the GUI thread. */
    void start();

    QComboBox* providerCombo() const { return m_provider; }
    QLineEdit* baseUrlEdit() const { return m_baseUrl; }
    QComboBox* modelCombo() const { return m_model; }
    QLabel* modelStatus() const { return m_modelStatus; }
    QLabel* estimateLabel() const { return m_estimate; }
    QLabel* keyLabel() const { return m_keyNote; }
    QLabel* errorLabel() const { return m_error; }
    QPlainTextEdit* promptEdit() const { return m_prompt; }
    QSpinBox* concurrencySpin() const { return m_concurrency; }
    QRadioButton* selectionScope() const { return m_scopeSelection; }
    QRadioButton* filterScope() const { return m_scopeFilter; }
    QPushButton* startButton() const { return m_start; }
    bool modelsLoaded() const { return m_modelsLoaded; }
    bool estimateReady() const { return m_estimateReady; }

Q_SIGNALS:
    void jobCreated(qint64 jobId);

private:
    void onProviderChanged();
    void updateKeyNote();
    void scheduleEstimate();
    void runEstimate();

    QString m_projectPath;
    QList<ItemId> m_selection;
    QString m_filter;

    QComboBox* m_provider;
    QLineEdit* m_baseUrl;
    QComboBox* m_model;
    QPushButton* m_refresh;
    QLabel* m_modelStatus;
    QPlainTextEdit* m_prompt;
    QSpinBox* m_maxTokens;
    QComboBox* m_detail;
    QLabel* m_detailLabel;
    QSpinBox* m_concurrency;
    QRadioButton* m_scopeSelection;
    QRadioButton* m_scopeFilter;
    QLabel* m_estimate;
    QLabel* m_keyNote;
    QLabel* m_error;
    QPushButton* m_start;
    QTimer* m_estimateTimer;

    quint64 m_modelGeneration = 0;
    quint64 m_estimateGeneration = 0;
    bool m_modelsLoaded = false;
    bool m_estimateReady = false;
    bool m_starting = false;
};

} // namespace facet
