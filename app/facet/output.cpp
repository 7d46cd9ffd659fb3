#include "output.h"

#include <QJsonDocument>
#include <QLocale>

#include <unistd.h>

namespace facet::cli {

using namespace Qt::Literals::StringLiterals;

Output::Output(bool json)
    : m_json(json)
    , m_tty(isatty(STDERR_FILENO) != 0)
{
}

void Output::write(std::FILE* f, const QByteArray& bytes)
{
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), f);
}

void Output::document(const QJsonObject& doc)
{
    write(stdout, QJsonDocument(doc).toJson(QJsonDocument::Indented));
    std::fflush(stdout);
    m_documentWritten = true;
}

void Output::beginStream(const QJsonObject& head, const QString& arrayKey)
{
    QByteArray start = QJsonDocument(head).toJson(QJsonDocument::Compact);
    start.chop(1); // drop the closing brace; the array follows
    if (!head.isEmpty())
        start += ',';
    start += '"' + arrayKey.toUtf8() + "\":[\n"; // keys are ours, never user text

    write(stdout, start);
    m_streamFirst = true;
}

void Output::streamItem(const QJsonObject& item)
{
    QByteArray bytes = m_streamFirst ? QByteArray() : QByteArray(",\n");
    bytes += QJsonDocument(item).toJson(QJsonDocument::Compact);
    write(stdout, bytes);
    m_streamFirst = false;
}

void Output::endStream()
{
    write(stdout, "\n]}\n");
    std::fflush(stdout);
    m_documentWritten = true;
}

void Output::line(const QString& text)
{
    write(stdout, text.toUtf8() + '\n');
}

void Output::note(const QString& text)
{
    endProgress();
    write(stderr, text.toUtf8() + '\n');
}

void Output::warn(const QString& text)
{
    note(tr("warning: %1").arg(text));
}

void Output::error(const QString& text, const QString& kind)
{
    note(tr("facet: %1").arg(text));
    if (m_json && !m_documentWritten)
        document(QJsonObject{{u"error"_s, text}, {u"kind"_s, kind}});
}

void Output::progress(const QString& what, std::int64_t done, std::int64_t total, const QString& detail)
{
    // Four updates a second are plenty; a progress line per record would cost more than the work.
    if (m_lastProgress.isValid() && m_lastProgress.elapsed() < 250 && done < total)
        return;
    m_lastProgress.start();
    QString text = what;
    if (total > 0)
        text += u" %1%"_s.arg(static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)));
    else
        text += u" "_s + number(done);
    if (!detail.isEmpty())
        text += u" — "_s + detail;
    if (m_tty) {
        write(stderr, "\r\x1b[K" + text.toUtf8());
        m_progressShown = true;
    }
    std::fflush(stderr);
}

void Output::endProgress()
{
    if (m_progressShown) {
        write(stderr, "\r\x1b[K");
        m_progressShown = false;
    }
}

QString Output::number(std::int64_t n) const
{
    return QLocale().toString(static_cast<qlonglong>(n));
}

} // namespace facet::cli
