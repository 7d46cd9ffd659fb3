#pragma once

#include "exporter.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace facet {

class JobProgressWidget;
class JobRunner;

/**
 * File > Export…: output file, format (sharegpt4v, lossless; or flat, with facets and
 * provenance), JSON array or JSONL, and what to export: accepted items, the current filter or the
 * selected items. Runs on a worker thread with progress and Cancel; the file appears only when
 * complete.
 */
class ExportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportDialog)

public:
    /** `filter`: the filter in effect; `selected`: the grid selection (either may be empty). */
    ExportDialog(const QString& projectPath, const QString& filter, const QList<ItemId>& selected,
                 QWidget* parent = nullptr);

    void setOutput(const QString& path);
    ExportOptions options() const;
    bool startExport();

Q_SIGNALS:
    void exported(const QString& path, qint64 written);

protected:
    void reject() override;

private:
    void browse();
    void finished(bool ok, bool cancelled, const QString& message);
    void showMessage(const QString& text, bool error);

    JobRunner* m_runner;
    QString m_filter;
    QList<ItemId> m_selected;
    std::shared_ptr<ExportReport> m_report;
    /** An existing file the user agreed to replace (here, or in the Browse dialog, which asks itself). */
    QString m_replaceConfirmed;
    QLineEdit* m_output;
    QComboBox* m_format;
    QCheckBox* m_array;
    QRadioButton* m_accepted;
    QRadioButton* m_byFilter;
    QRadioButton* m_bySelection;
    QLabel* m_message;
    JobProgressWidget* m_progress;
    QDialogButtonBox* m_buttons;
    QPushButton* m_exportButton;
    QList<QWidget*> m_form;
};

} // namespace facet
