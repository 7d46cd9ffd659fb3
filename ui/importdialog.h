#pragma once

#include "importer.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace facet {

class JobProgressWidget;
class JobRunner;

/**
 * File > Import…: the source files (or a folder), their format (auto-detected by default), the
 * folder image paths are relative to, the source name and strict mode. Import runs on a worker
 * thread with a progress bar and Cancel; the dialog closes when it is done and imported() carries
 * the report (skipped records go to the Issues panel).
 */
class ImportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportDialog)

public:
    ImportDialog(const QString& projectPath, QWidget* parent = nullptr);
    ~ImportDialog() override;

    void setFiles(const QStringList& files);
    QStringList files() const;
    ImportOptions options() const;
    /** Starts the import with the current fields; false (and an inline message) when they are incomplete. */
    bool startImport();
    bool isRunning() const;

Q_SIGNALS:
    void imported(const facet::ImportReport& report);

protected:
    void reject() override;

private:
    void browseFiles();
    void browseFolder();
    void browseImages();
    void finished(bool ok, bool cancelled, const QString& message);
    void setFormEnabled(bool enabled);
    void showMessage(const QString& text, bool error);

    JobRunner* m_runner;
    std::shared_ptr<ImportReport> m_report;
    QLineEdit* m_files;
    QComboBox* m_format;
    QLineEdit* m_images;
    QLineEdit* m_name;
    QCheckBox* m_strict;
    QLabel* m_message;
    JobProgressWidget* m_progress;
    QDialogButtonBox* m_buttons;
    QPushButton* m_importButton;
    QList<QWidget*> m_form;
};

} // namespace facet

Q_DECLARE_METATYPE(facet::ImportReport)
