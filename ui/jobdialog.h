#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;

namespace facet {

class JobProgressWidget;
class JobRunner;

/**
 * A small window for work started from a menu (verify images, accept or reject a whole filter):
 * what is running, its progress and Cancel. When the work ends it shows the outcome and a Close
 * button; with `closeWhenDone` it closes itself on success.
 */
class JobDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobDialog)

public:
    JobDialog(JobRunner* runner, const QString& title, bool closeWhenDone, QWidget* parent = nullptr);

protected:
    void reject() override;

private:
    JobRunner* m_runner;
    QLabel* m_message;
    JobProgressWidget* m_progress;
    QDialogButtonBox* m_buttons;
    bool m_running = true;
};

} // namespace facet
