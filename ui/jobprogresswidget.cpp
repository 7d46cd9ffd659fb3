#include "jobprogresswidget.h"

#include "jobrunner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <limits>

namespace facet {

JobProgressWidget::JobProgressWidget(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("jobProgressBar"));
    m_bar->setTextVisible(true);
    row->addWidget(m_bar, 1);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("jobCancel"));
    row->addWidget(m_cancel);
    layout->addLayout(row);
    m_label = new QLabel(this);
    m_label->setTextFormat(Qt::PlainText); // carries file names
    m_label->setWordWrap(true);
    m_label->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_label);
    setVisible(false);
}

void JobProgressWidget::attach(JobRunner* runner)
{
    m_runner = runner;
    connect(runner, &JobRunner::started, this, &JobProgressWidget::onStarted);
    connect(runner, &JobRunner::progressChanged, this, &JobProgressWidget::onProgress);
    connect(runner, &JobRunner::finished, this, &JobProgressWidget::onFinished);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_runner->cancel();
        m_cancel->setEnabled(false);
        m_label->setText(tr("Cancelling…"));
    });
}

void JobProgressWidget::onStarted()
{
    m_clock.start();
    m_bar->setRange(0, 0);
    m_label->setText(tr("Starting…"));
    m_cancel->setEnabled(true);
    setVisible(true);
}

void JobProgressWidget::onProgress(qint64 done, qint64 total, const QString& what)
{
    if (!m_cancel->isEnabled())
        return; // keep saying "Cancelling…"
    const QLocale locale;
    if (total > 0) {
        // QProgressBar takes ints; scale large totals down.
        const int scale = total > std::numeric_limits<int>::max() / 2 ? 1000 : 1;
        m_bar->setRange(0, static_cast<int>(total / scale));
        m_bar->setValue(static_cast<int>(std::min(done, total) / scale));
    } else {
        m_bar->setRange(0, 0);
    }
    QString text = total > 0 ? tr("%1 of %2").arg(locale.toString(done), locale.toString(total))
                             : (done > 0 ? locale.toString(done) : QString());
    const double seconds = m_clock.elapsed() / 1000.0;
    if (total > 0 && done > 0 && seconds > 2) {
        const double rate = done / seconds;
        const qint64 left = static_cast<qint64>((total - done) / rate);
        text += tr(" · %1/s · about %2 left")
                    .arg(locale.toString(rate, 'f', 0), left >= 90
                                                            ? tr("%n min", nullptr, static_cast<int>((left + 30) / 60))
                                                            : tr("%n s", nullptr, static_cast<int>(left)));
    }
    if (!what.isEmpty())
        text = text.isEmpty() ? what : what + u" — " + text;
    m_label->setText(text);
}

void JobProgressWidget::onFinished()
{
    setVisible(false);
}

} // namespace facet
