#include "jobdialog.h"

#include "jobprogresswidget.h"
#include "jobrunner.h"
#include "statuscolors.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace facet {

JobDialog::JobDialog(JobRunner* runner, const QString& title, bool closeWhenDone, QWidget* parent)
    : QDialog(parent)
    , m_runner(runner)
{
    setObjectName(QStringLiteral("jobDialog"));
    setWindowTitle(title);
    setMinimumWidth(420);
    auto* layout = new QVBoxLayout(this);
    m_message = new QLabel(title, this);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    m_progress = new JobProgressWidget(this);
    m_progress->attach(runner);
    layout->addWidget(m_progress);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_buttons->hide();
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    layout->addWidget(m_buttons);

    connect(runner, &JobRunner::finished, this, [this, closeWhenDone](bool ok, bool cancelled, const QString& message) {
        m_running = false;
        if (ok && closeWhenDone) {
            accept();
            return;
        }
        m_message->setText(message);
        if (!ok && !cancelled) {
            QPalette pal = m_message->palette();
            pal.setColor(QPalette::WindowText, StatusColors::color(Status::Rejected));
            m_message->setPalette(pal);
        }
        m_buttons->show();
        m_buttons->button(QDialogButtonBox::Close)->setFocus();
    });
}

void JobDialog::reject()
{
    // Esc or the window's close button while working means Cancel; the dialog stays until the
    // work has really stopped, so nothing runs unseen.
    if (m_running) {
        m_runner->cancel();
        return;
    }
    QDialog::reject();
}

} // namespace facet
