#pragma once

#include <QCoreApplication>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

namespace facet::cli {

/** Thrown for a usage error; the CLI prints it with the command's usage and exits with status 2. */
struct UsageError
{
    QString message;
};

/**
 * The command line after the command name: positionals and `--option [value]` pairs. Each command
 * declares which options it takes and whether they take a value; anything else is a usage error.
 */
class Arguments final
{
    Q_DECLARE_TR_FUNCTIONS(facet::cli::Arguments)

public:
    struct Spec
    {
        QSet<QString> flags;      ///< options without a value: "json", "all", ...
        QSet<QString> valued;     ///< options with one value: "filter", "limit", ...
        QSet<QString> repeatable; ///< valued options that may repeat: "id"
    };

    Arguments(const QStringList& args, const Spec& spec);

    const QStringList& positionals() const { return m_positionals; }
    bool has(const QString& option) const { return m_values.contains(option); }
    QString value(const QString& option, const QString& fallback = {}) const;
    QStringList values(const QString& option) const { return m_values.values(option); }
    /** An integer option; usage error if it is not a number in [min, max]. */
    qint64 integer(const QString& option, qint64 fallback, qint64 min, qint64 max) const;

private:
    QStringList m_positionals;
    QMultiMap<QString, QString> m_values;
};

} // namespace facet::cli
