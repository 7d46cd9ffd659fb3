#include "query.h"

#include <QRegularExpression>

#include <string>

#include "database.h"
#include "error.h"

#include <nlohmann/json.hpp>

#include <QStringList>

namespace facet {

namespace {

/** One lexed term of the query text, before it is compiled. */
struct Term
{
    QString source; ///< the term as typed, for error messages
    bool negated = false;
    QString key;   ///< lower-case key; empty for bare words and phrases
    QString value; ///< the value (unquoted) or the word/phrase
};

bool isSpace(QChar c)
{
    return c.isSpace();
}

bool isKeyChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

/**
 * Reads a double-quoted string starting at text[pos] == '"'. Inside, \" is a literal quote and \\ a
 * literal backslash; any other backslash is kept as typed, so Windows-style paths survive.
 * Returns false when the closing quote is missing.
 */
bool readQuoted(const QString& text, qsizetype& pos, QString* out)
{
    ++pos; // opening quote
    while (pos < text.size()) {
        const QChar c = text.at(pos);
        if (c == u'\\' && pos + 1 < text.size() && (text.at(pos + 1) == u'"' || text.at(pos + 1) == u'\\')) {
            out->append(text.at(pos + 1));
            pos += 2;
            continue;
        }
        if (c == u'"') {
            ++pos;
            return true;
        }
        out->append(c);
        ++pos;
    }
    return false;
}

QList<Term> lex(const QString& text)
{
    QList<Term> terms;
    qsizetype pos = 0;
    const qsizetype n = text.size();
    while (pos < n) {
        while (pos < n && isSpace(text.at(pos)))
            ++pos;
        if (pos >= n)
            break;
        const qsizetype start = pos;
        Term term;
        if (text.at(pos) == u'-') {
            if (pos + 1 >= n || isSpace(text.at(pos + 1)))
                throw Error(Query::tr("Query term '-': nothing to negate after '-'"));
            term.negated = true;
            ++pos;
        }
        auto unterminated = [&] {
            return Error(Query::tr("Query term '%1': unterminated quote").arg(text.mid(start)));
        };
        if (text.at(pos) == u'"') {
            if (!readQuoted(text, pos, &term.value))
                throw unterminated();
        } else {
            qsizetype k = pos;
            while (k < n && isKeyChar(text.at(k)))
                ++k;
            if (k > pos && k < n && text.at(k) == u':') {
                term.key = text.mid(pos, k - pos).toLower();
                pos = k + 1;
                if (pos < n && text.at(pos) == u'"') {
                    if (!readQuoted(text, pos, &term.value))
                        throw unterminated();
                } else {
                    while (pos < n && !isSpace(text.at(pos)))
                        term.value.append(text.at(pos++));
                }
            } else {
                while (pos < n && !isSpace(text.at(pos)))
                    term.value.append(text.at(pos++));
            }
        }
        term.source = text.mid(start, pos - start);
        terms.append(term);
    }
    return terms;
}

/** An FTS5 string literal: user text can never be FTS5 syntax (operators, columns, NEAR, *). */
QString ftsString(const QString& text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    // FTS5 reads the query string only up to a NUL ("unterminated string"); for its tokenizer a NUL
    // separates words like any control character, so a space means the same.
    quoted.replace(QChar(u'\0'), QLatin1Char(' '));
    return u'"' + quoted + u'"';
}

const char* const kFtsIn = "i.current_version IN (SELECT rowid FROM captions_fts WHERE captions_fts MATCH ?)";

/**
 * A term compiles to a boolean SQL expression that is 0, 1 or NULL (NULL when the item has no
 * current caption version and the term looks at it). Negation must turn that NULL into "true": an
 * item without a model caption does match `-model:gpt-4o`.
 */
QString negate(const QString& sql)
{
    return QStringLiteral("NOT coalesce(") + sql + QStringLiteral(", 0)");
}

struct Compiled
{
    QString sql;
    std::vector<Query::Value> values;
};

Compiled compileChars(const Term& term)
{
    QString value = term.value;
    QString op = QStringLiteral("=");
    for (const char* candidate : {"<=", ">=", "<", ">", "="}) {
        const QLatin1String prefix(candidate);
        if (value.startsWith(prefix)) {
            op = prefix;
            value = value.mid(prefix.size());
            break;
        }
    }
    bool ok = false;
    const qlonglong n = value.toLongLong(&ok);
    if (!ok || n < 0)
        throw Error(Query::tr("Query term '%1': chars needs a number, as in chars:<200, chars:>=1000 or chars:500")
                        .arg(term.source));
    return {QStringLiteral("v.chars ") + op + QStringLiteral(" ?"), {std::int64_t(n)}};
}

Compiled compileKey(const Term& term)
{
    static const QStringList known = {
        QStringLiteral("status"), QStringLiteral("source"), QStringLiteral("facet"),    QStringLiteral("image"),
        QStringLiteral("origin"), QStringLiteral("model"),  QStringLiteral("reviewer"), QStringLiteral("chars"),
        QStringLiteral("id"),     QStringLiteral("path"),
    };
    const QString& key = term.key;
    const QString& value = term.value;
    // The key is checked before the value so that `foo:` reports the unknown key, not an empty value.
    if (!known.contains(key))
        throw Error(
            Query::tr("Query term '%1': unknown key '%2:' (known: %3)").arg(term.source, key, known.join(u", ")));
    if (value.isEmpty())
        throw Error(Query::tr("Query term '%1': empty value after '%2:'").arg(term.source, key));
    if (key == u"status") {
        const auto s = statusFromKey(value.toLower());
        if (!s)
            throw Error(Query::tr("Query term '%1': status must be pending, accepted or rejected").arg(term.source));
        return {QStringLiteral("i.status = ?"), {std::int64_t(*s)}};
    }
    if (key == u"image") {
        const auto s = imageStateFromKey(value.toLower());
        if (!s)
            throw Error(Query::tr("Query term '%1': image must be ok, missing, broken or none").arg(term.source));
        return {QStringLiteral("i.image_state = ?"), {std::int64_t(*s)}};
    }
    if (key == u"origin") {
        const auto o = originFromKey(value.toLower());
        if (!o)
            throw Error(Query::tr("Query term '%1': origin must be imported, human or model").arg(term.source));
        return {QStringLiteral("v.origin = ?"), {std::int64_t(*o)}};
    }
    if (key == u"source")
        return {QStringLiteral("i.source_id IN (SELECT id FROM sources WHERE name = ?)"), {value}};
    if (key == u"facet")
        // `g` is the current version's segments row, joined once by from(): a column test per item,
        // where a correlated EXISTS per item and term took 1.6x as long (docs/performance.md).
        return {QStringLiteral("instr(',' || g.facets, ?) > 0"), {QString(u',' + value.toLower() + u':')}};
    if (key == u"model")
        return {QStringLiteral("v.model = ?"), {value}};
    if (key == u"reviewer")
        return {QStringLiteral("i.reviewer = ?"), {value}};
    if (key == u"id")
        return {QStringLiteral("i.ext_id = ?"), {value}};
    if (key == u"path")
        return {QStringLiteral("i.image GLOB ?"), {value}};
    return compileChars(term); // the only key left in `known`
}

} // namespace

Query Query::parse(const QString& text)
{
    Query query;
    QStringList positiveText; // all positive words/phrases go into one MATCH: FTS5 ANDs them itself
    for (const Term& term : lex(text)) {
        if (term.key.isEmpty()) {
            if (term.value.trimmed().isEmpty())
                throw Error(Query::tr("Query term '%1': empty phrase").arg(term.source));
            if (term.negated)
                query.addClause(negate(QLatin1String(kFtsIn)), {ftsString(term.value)});
            else
                positiveText.append(ftsString(term.value));
            continue;
        }
        Compiled c = compileKey(term);
        query.addClause(term.negated ? negate(c.sql) : c.sql, std::move(c.values));
    }
    if (!positiveText.isEmpty())
        query.addClause(QLatin1String(kFtsIn), {positiveText.join(u' ')});
    return query;
}

int Query::bind(Statement& st, int first) const
{
    int index = first;
    for (const Value& value : m_values) {
        if (const auto* n = std::get_if<std::int64_t>(&value))
            st.bind(index, *n);
        else
            st.bind(index, std::get<QString>(value));
        ++index;
    }
    return index;
}

void Query::addClause(const QString& sql, std::vector<Value> values)
{
    if (isEmpty())
        m_where = u'(' + sql + u')';
    else
        m_where += QStringLiteral(" AND (") + sql + u')';
    m_values.insert(m_values.end(), std::make_move_iterator(values.begin()), std::make_move_iterator(values.end()));
}

namespace {
constexpr const char* kJoinVersion = " LEFT JOIN caption_versions v ON v.id = i.current_version";
constexpr const char* kJoinSegments = " LEFT JOIN version_segments g ON g.version_id = i.current_version";
} // namespace

const char* Query::from()
{
    // SQLite drops a LEFT JOIN on a primary key that nothing reads (but not from a count(*): see
    // countFrom()), so the joins cost only the queries that use them.
    static const std::string from = std::string("items i") + kJoinVersion + kJoinSegments;
    return from.c_str();
}

QString Query::countFrom() const
{
    static const QRegularExpression readsVersion(QStringLiteral("\\bv\\."));
    static const QRegularExpression readsSegments(QStringLiteral("\\bg\\."));
    QString from = QStringLiteral("items i");
    if (m_where.contains(readsVersion))
        from += QLatin1String(kJoinVersion);
    if (m_where.contains(readsSegments))
        from += QLatin1String(kJoinSegments);
    return from;
}

namespace {

// Above this many ids one JSON array is bound instead of one placeholder per id: a GUI selection of
// 100K items would otherwise build a statement with 100K parameters (SQLite caps them at 32766).
constexpr qsizetype kMaxPlaceholders = 500;

QString placeholders(qsizetype n)
{
    QString s;
    s.reserve(n * 2);
    for (qsizetype k = 0; k < n; ++k)
        s += k ? QStringLiteral(",?") : QStringLiteral("?");
    return s;
}

} // namespace

Query Selection::toQuery() const
{
    if (isEmpty())
        throw Error(Query::tr("nothing selected: give --id, --filter or --all"));
    Query query = filter.trimmed().isEmpty() ? Query() : Query::parse(filter);
    if (!extIds.isEmpty()) {
        if (extIds.size() > kMaxPlaceholders) {
            nlohmann::json array = nlohmann::json::array();
            for (const QString& id : extIds)
                array.push_back(id.toStdString());
            const std::string json = array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            query.addClause(QStringLiteral("i.ext_id IN (SELECT value FROM json_each(?))"),
                            {QString::fromStdString(json)});
        } else {
            std::vector<Query::Value> values(extIds.cbegin(), extIds.cend());
            query.addClause(QStringLiteral("i.ext_id IN (") + placeholders(extIds.size()) + u')', std::move(values));
        }
    }
    if (!itemIds.isEmpty()) {
        if (itemIds.size() > kMaxPlaceholders) {
            QString json;
            json.reserve(itemIds.size() * 8);
            json += u'[';
            for (qsizetype k = 0; k < itemIds.size(); ++k) {
                if (k)
                    json += u',';
                json += QString::number(itemIds.at(k));
            }
            json += u']';
            query.addClause(QStringLiteral("i.id IN (SELECT value FROM json_each(?))"), {json});
        } else {
            std::vector<Query::Value> values(itemIds.cbegin(), itemIds.cend());
            query.addClause(QStringLiteral("i.id IN (") + placeholders(itemIds.size()) + u')', std::move(values));
        }
    }
    // `all` adds nothing: an empty Query matches every item, and ids/filter narrow it.
    return query;
}

} // namespace facet
