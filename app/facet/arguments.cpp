#include "arguments.h"

namespace facet::cli {

using namespace Qt::Literals::StringLiterals;

Arguments::Arguments(const QStringList& args, const Spec& spec)
{
    for (qsizetype k = 0; k < args.size(); ++k) {
        const QString& arg = args.at(k);
        if (arg == u"--"_s) {
            m_positionals += args.mid(k + 1);
            break;
        }
        if (!arg.startsWith(u"--"_s) || arg.size() == 2) {
            if (arg.startsWith(u'-') && arg.size() > 1 && arg != u"-"_s && arg != u"-o"_s)
                throw UsageError{tr("unknown option %1").arg(arg)};
            if (arg == u"-o"_s) {
                if (!spec.valued.contains(u"output"_s))
                    throw UsageError{tr("unknown option %1").arg(arg)};
                if (k + 1 >= args.size())
                    throw UsageError{tr("-o needs a value")};
                m_values.insert(u"output"_s, args.at(++k));
                continue;
            }
            m_positionals.append(arg);
            continue;
        }
        QString name = arg.mid(2);
        QString inlineValue;
        bool hasInline = false;
        if (const qsizetype eq = name.indexOf(u'='); eq > 0) {
            inlineValue = name.mid(eq + 1);
            name = name.left(eq);
            hasInline = true;
        }
        if (spec.flags.contains(name)) {
            if (hasInline)
                throw UsageError{tr("--%1 takes no value").arg(name)};
            m_values.insert(name, QString());
        } else if (spec.valued.contains(name)) {
            if (m_values.contains(name) && !spec.repeatable.contains(name))
                throw UsageError{tr("--%1 given twice").arg(name)};
            if (hasInline) {
                m_values.insert(name, inlineValue);
            } else {
                if (k + 1 >= args.size())
                    throw UsageError{tr("--%1 needs a value").arg(name)};
                m_values.insert(name, args.at(++k));
            }
        } else {
            throw UsageError{tr("unknown option --%1").arg(name)};
        }
    }
}

QString Arguments::value(const QString& option, const QString& fallback) const
{
    return m_values.contains(option) ? m_values.value(option) : fallback;
}

qint64 Arguments::integer(const QString& option, qint64 fallback, qint64 min, qint64 max) const
{
    if (!has(option))
        return fallback;
    bool ok = false;
    const qint64 n = value(option).toLongLong(&ok);
    if (!ok || n < min || n > max)
        throw UsageError{tr("--%1 must be a whole number from %2 to %3").arg(option).arg(min).arg(max)};
    return n;
}

} // namespace facet::cli
