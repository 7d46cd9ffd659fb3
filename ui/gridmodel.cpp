#include "gridmodel.h"

#include "plaintext.h"
#include "statuscolors.h"

#include <algorithm>

namespace facet {

GridModel::GridModel(QObject* parent)
    : QAbstractListModel(parent)
{
}

int GridModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_ids)
        return 0;
    return static_cast<int>(m_ids->size());
}

int GridModel::pageCount() const
{
    return (rowCount() + kGridPageSize - 1) / kGridPageSize;
}

ItemId GridModel::idAt(int row) const
{
    if (!m_ids || row < 0 || static_cast<std::size_t>(row) >= m_ids->size())
        return 0;
    return (*m_ids)[static_cast<std::size_t>(row)];
}

int GridModel::rowOf(ItemId id) const
{
    if (!m_ids)
        return -1;
    if (m_sorted) {
        auto it = std::lower_bound(m_ids->begin(), m_ids->end(), id);
        return it != m_ids->end() && *it == id ? static_cast<int>(it - m_ids->begin()) : -1;
    }
    auto it = std::find(m_ids->begin(), m_ids->end(), id);
    return it != m_ids->end() ? static_cast<int>(it - m_ids->begin()) : -1;
}

const ItemSummary* GridModel::summaryAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    const int page = row / kGridPageSize;
    auto it = m_pages.constFind(page);
    if (it == m_pages.constEnd()) {
        requestPage(page);
        return nullptr;
    }
    const int offset = row - page * kGridPageSize;
    return offset < it->size() ? &it->at(offset) : nullptr;
}

QVariant GridModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    if (role == ItemIdRole)
        return QVariant::fromValue(static_cast<qint64>(idAt(index.row())));
    const ItemSummary* s = summaryAt(index.row());
    if (role == LoadedRole)
        return s != nullptr;
    if (!s)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return s->extId;
    case Qt::ToolTipRole:
        return plainToolTip(tr("%1 · %2 · %3\n%4", "id · source · status, then the caption's start")
                                .arg(s->extId, s->source, StatusColors::label(s->status), s->captionHead));
    case Qt::AccessibleTextRole:
        return tr("%1, %2").arg(s->extId, StatusColors::label(s->status));
    case StatusRole:
        return static_cast<int>(s->status);
    case RecaptionedRole:
        return s->recaptioned;
    case FacetsRole:
        return s->facets;
    case ImageStateRole:
        return static_cast<int>(s->imageState);
    case SourceRole:
        return s->source;
    case CharsRole:
        return s->chars;
    default:
        return {};
    }
}

void GridModel::requestPage(int page) const
{
    if (page < 0 || page >= pageCount() || m_requested.contains(page))
        return;
    m_requested.insert(page);
    Q_EMIT const_cast<GridModel*>(this)->pageNeeded(m_generation, page);
}

void GridModel::setIds(quint64 generation, const IdList& ids)
{
    if (generation != m_generation || !ids)
        return;
    const bool same = m_ids && *m_ids == *ids;
    if (same) {
        m_ids = ids;
        reloadLoaded();
        return;
    }
    beginResetModel();
    m_ids = ids;
    m_sorted = std::is_sorted(ids->begin(), ids->end());
    m_pages.clear();
    m_requested.clear();
    endResetModel();
}

void GridModel::clear()
{
    beginResetModel();
    ++m_generation;
    m_ids.reset();
    m_pages.clear();
    m_requested.clear();
    endResetModel();
}

void GridModel::addPage(quint64 generation, int page, const QList<ItemSummary>& rows)
{
    if (generation != m_generation || page < 0 || page >= pageCount())
        return;
    m_requested.remove(page);
    const int first = page * kGridPageSize;
    const int last = std::min(rowCount(), first + kGridPageSize) - 1;
    QList<ItemSummary> aligned;
    aligned.reserve(last - first + 1);
    // The worker leaves out items deleted since the query ran; keep rows aligned with the ids and
    // show such rows as placeholders rather than shifting every later row.
    int k = 0;
    for (int row = first; row <= last; ++row) {
        const ItemId id = idAt(row);
        if (k < rows.size() && rows.at(k).id == id) {
            aligned.append(rows.at(k++));
        } else {
            ItemSummary gone;
            gone.id = id;
            gone.extId = tr("(removed)");
            aligned.append(gone);
        }
    }
    m_pages.insert(page, std::move(aligned));
    evict();
    Q_EMIT dataChanged(index(first), index(last));
    Q_EMIT pageLoaded(page);
}

void GridModel::setViewport(int first, int last)
{
    if (!m_ids)
        return;
    m_viewFirst = std::max(0, first);
    m_viewLast = std::max(m_viewFirst, last);
    // The visible pages first, then one page either side so scrolling finds rows ready.
    const int firstPage = m_viewFirst / kGridPageSize;
    const int lastPage = m_viewLast / kGridPageSize;
    for (int p = firstPage; p <= lastPage; ++p)
        if (!m_pages.contains(p))
            requestPage(p);
    if (!m_pages.contains(lastPage + 1))
        requestPage(lastPage + 1);
    if (firstPage > 0 && !m_pages.contains(firstPage - 1))
        requestPage(firstPage - 1);
    evict();
}

void GridModel::evict()
{
    if (m_pages.size() <= MaxPages)
        return;
    const int firstPage = m_viewFirst / kGridPageSize - 1;
    const int lastPage = m_viewLast / kGridPageSize + 1;
    auto distance = [&](int p) { return p < firstPage ? firstPage - p : (p > lastPage ? p - lastPage : 0); };
    QList<int> pages = m_pages.keys();
    std::sort(pages.begin(), pages.end(), [&](int a, int b) { return distance(a) > distance(b); });
    for (int p : pages) {
        if (m_pages.size() <= MaxPages || distance(p) == 0)
            break;
        // Rows of an evicted page are off screen; data() asks for them again when they come back.
        m_pages.remove(p);
    }
}

void GridModel::reloadLoaded()
{
    // Keep showing the old rows; addPage() replaces them when the fresh ones arrive.
    m_requested.clear();
    const QList<int> pages = m_pages.keys();
    for (int p : pages)
        requestPage(p);
}

void GridModel::reloadItems(const QList<ItemId>& ids)
{
    QSet<int> pages;
    for (ItemId id : ids) {
        const int row = rowOf(id);
        if (row >= 0 && m_pages.contains(row / kGridPageSize))
            pages.insert(row / kGridPageSize);
    }
    for (int p : std::as_const(pages)) {
        m_requested.remove(p);
        requestPage(p);
    }
}

void GridModel::setStatusLocally(const QList<ItemId>& ids, Status status)
{
    int lo = -1, hi = -1;
    for (ItemId id : ids) {
        const int row = rowOf(id);
        if (row < 0)
            continue;
        auto it = m_pages.find(row / kGridPageSize);
        if (it == m_pages.end())
            continue;
        const int offset = row % kGridPageSize;
        if (offset >= it->size())
            continue;
        (*it)[offset].status = status;
        lo = lo < 0 ? row : std::min(lo, row);
        hi = std::max(hi, row);
    }
    if (lo >= 0)
        Q_EMIT dataChanged(index(lo), index(hi), {StatusRole, Qt::ToolTipRole});
}

} // namespace facet
