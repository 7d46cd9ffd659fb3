#pragma once

#include "itemstore.h"
#include "projectworker.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QSet>

namespace facet {

/**
 * The thumbnail grid's rows: the ids of the current query (all of them, 8 bytes each) and, for rows
 * near the viewport, their ItemSummary, fetched a page at a time by the ProjectWorker. A row whose
 * page is not there yet shows as a placeholder; asking for it (data(), setViewport()) requests the
 * page, and dataChanged follows when it arrives. Pages far from the viewport are evicted, so memory
 * stays bounded at any dataset size.
 */
class GridModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GridModel)

public:
    enum Role
    {
        ItemIdRole = Qt::UserRole + 1, ///< always available
        LoadedRole,                    ///< false while the row is a placeholder
        StatusRole,
        RecaptionedRole,
        FacetsRole,
        ImageStateRole,
        SourceRole,
        CharsRole,
    };

    /** Pages kept in memory at most (each kGridPageSize rows). */
    static constexpr int MaxPages = 24;

    explicit GridModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /** The row's summary, or null while its page is loading (the page is then requested). */
    const ItemSummary* summaryAt(int row) const;
    ItemId idAt(int row) const;
    /** Row of an item in the current result, or -1. */
    int rowOf(ItemId id) const;
    quint64 generation() const { return m_generation; }
    bool hasIds() const { return m_ids != nullptr; }

    /** Starts a new query generation: answers tagged with older generations are ignored. */
    quint64 nextGeneration() { return ++m_generation; }
    /**
     * Takes a query result. When it holds the same ids as now, rows, selection and scroll stay and
     * the loaded pages are re-read; otherwise the model resets.
     */
    void setIds(quint64 generation, const IdList& ids);
    void addPage(quint64 generation, int page, const QList<ItemSummary>& rows);
    void clear();

    /** The rows the view shows; pages around them are fetched first and kept, far ones evicted. */
    void setViewport(int first, int last);
    /** Re-reads every loaded page, keeping the current contents until the new ones arrive. */
    void reloadLoaded();
    /** Re-reads the loaded pages that hold any of these items. */
    void reloadItems(const QList<ItemId>& ids);
    /** Shows a status change at once, before the worker confirms it (reloadItems() follows). */
    void setStatusLocally(const QList<ItemId>& ids, Status status);

Q_SIGNALS:
    /** Connected to ProjectWorker::requestPage. */
    void pageNeeded(quint64 generation, int page);
    void pageLoaded(int page);

private:
    void requestPage(int page) const;
    void evict();
    int pageCount() const;

    IdList m_ids;
    bool m_sorted = true;
    quint64 m_generation = 0;
    QHash<int, QList<ItemSummary>> m_pages;
    mutable QSet<int> m_requested;
    int m_viewFirst = 0;
    int m_viewLast = 0;
};

} // namespace facet
