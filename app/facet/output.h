#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <cstdio>

namespace facet::cli {

/**
 * Where the CLI writes: results on stdout (one JSON document with --json), progress, notes and
 * errors on stderr. Progress is throttled and drawn in place only when stderr is a terminal.
 */
class Output final
{
    Q_DECLARE_TR_FUNCTIONS(facet::cli::Output)

public:
    explicit Output(bool json);

    bool json() const { return m_json; }

    void document(const QJsonObject& doc);
    /** Streams a JSON document whose one array member is written item by item (for big listings). */
    void beginStream(const QJsonObject& head, const QString& arrayKey);
    void streamItem(const QJsonObject& item);
    void endStream();

    void line(const QString& text); ///< a result line on stdout (human mode)
    void note(const QString& text); ///< stderr
    void warn(const QString& text); ///< stderr
    /** An error: stderr always; with --json also {"error":..., "kind":...} on stdout. */
    void error(const QString& text, const QString& kind);

    void progress(const QString& what, std::int64_t done, std::int64_t total, const QString& detail);
    void endProgress();

    QString number(std::int64_t n) const;

private:
    void write(std::FILE* f, const QByteArray& bytes);

    bool m_json;
    bool m_tty;
    bool m_progressShown = false;
    bool m_streamFirst = true;
    bool m_documentWritten = false;
    QElapsedTimer m_lastProgress;
};

} // namespace facet::cli
