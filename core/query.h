#pragma once

#include "types.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <cstdint>
#include <variant>
#include <vector>

namespace facet {

class Database;
class Statement;

/**
 * The query language of PRODUCT.md, shared by the GUI search box and the CLI's --filter:
 * space-separated terms that must all hold, `-term` negates; `status:`, `source:`, `facet:`,
 * `image:`, `origin:`, `model:`, `reviewer:`, `chars:<N`/`chars:>N`, `id:`, `path:GLOB`; bare words
 * and "quoted phrases" search the current caption through the FTS5 index.
 *
 * Compiles to one SQL boolean expression over the aliases `i` (items), `v` (the item's current
 * caption_versions row) and `g` (that version's version_segments row), both LEFT JOINed by from().
 * Values are always bound, never spliced into SQL.
 */
class Query final
{
    Q_DECLARE_TR_FUNCTIONS(facet::Query)

public:
    using Value = std::variant<std::int64_t, QString>;

    /** Throws facet::Error naming the term and the reason ("unknown key 'foo:'", "status must be ..."). */
    static Query parse(const QString& text);

    /** The empty query matches everything; where() is then "1". */
    const QString& where() const { return m_where; }
    const std::vector<Value>& values() const { return m_values; }
    bool isEmpty() const { return m_where == QLatin1String("1"); }

    /** Binds values() starting at bind index `first`; returns the next free index. */
    int bind(Statement& st, int first = 1) const;

    /** ANDs an SQL clause (over i, v and g, with `?` placeholders) and its values onto this query. */
    void addClause(const QString& sql, std::vector<Value> values = {});

    /** The FROM clause every caller uses with where(): items i LEFT JOIN caption_versions v LEFT JOIN
     *  version_segments g, both on the item's current version. */
    static const char* from();

    /** The FROM clause for a count(*) of this query: items i and only the joins where() reads.
     *  SQLite keeps unread LEFT JOINs in a count(*), at a lookup per item and join. */
    QString countFrom() const;

private:
    QString m_where = QStringLiteral("1");
    std::vector<Value> m_values;
};

/** Which items an action applies to: the CLI's --id/--filter/--all, the GUI's selection or filter. */
struct Selection
{
    QList<QString> extIds; ///< record ids (items.ext_id)
    QList<ItemId> itemIds; ///< internal ids (items.id), used by the GUI
    QString filter;        ///< query language text
    bool all = false;

    bool isEmpty() const { return extIds.isEmpty() && itemIds.isEmpty() && filter.isEmpty() && !all; }

    /**
     * "SELECT i.id FROM ... WHERE ..." for this selection, with its bound values; ids and filter
     * combine with AND. Throws facet::Error for a bad filter or an empty selection.
     */
    Query toQuery() const;
};

} // namespace facet
