#pragma once

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace facet {

class JobRunner;

/**
 * A progress bar, a line saying what is being done (with a rate and time left once it is known)
 * and a Cancel button, bound to a JobRunner. Embedded in the import and export dialogs and in
 * JobDialog.
 */
class JobProgressWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobProgressWidget)

public:
    explicit JobProgressWidget(QWidget* parent = nullptr);

    void attach(JobRunner* runner);
    QProgressBar* bar() const { return m_bar; }
    QPushButton* cancelButton() const { return m_cancel; }

private:
    void onStarted();
    void onProgress(qint64 done, qint64 total, const QString& what);
    void onFinished();

    JobRunner* m_runner = nullptr;
    QProgressBar* m_bar;
    QLabel* m_label;
    QPushButton* m_cancel;
    QElapsedTimer m_clock;
};

} // namespace facet
