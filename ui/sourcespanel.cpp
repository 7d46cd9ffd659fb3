#include "sourcespanel.h"

#include "plaintext.h"
#include "statuscolors.h"

#include <QApplication>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPainter>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

namespace facet {

namespace {

enum Role
{
    NameRole = Qt::UserRole + 1,
    TotalRole,
    PendingRole,
    AcceptedRole,
    RejectedRole,
    AllRole
};

/** Two lines per source: the name with its total, then the three status counts with dots. */
class SourceDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const override
    {
        const QFontMetrics fm(option.font);
        return QSize(160, fm.height() * 2 + 14);
    }

    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        const QWidget* w = option.widget;
        QStyle* style = w ? w->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, p, w);

        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        const bool selected = option.state & QStyle::State_Selected;
        const QPalette& pal = option.palette;
        const QColor text = pal.color(selected ? QPalette::HighlightedText : QPalette::Text);
        QColor dim = text;
        dim.setAlphaF(0.7f);
        const QFontMetrics fm(option.font);
        const QRect r = option.rect.adjusted(10, 6, -10, -6);
        const QLocale locale;

        QFont bold = option.font;
        bold.setBold(index.data(AllRole).toBool());
        p->setFont(bold);
        const QString total = locale.toString(index.data(TotalRole).toLongLong());
        const int totalW = fm.horizontalAdvance(total) + 8;
        p->setPen(text);
        const QRect nameRect(r.left(), r.top(), r.width() - totalW, fm.height());
        p->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                    QFontMetrics(bold).elidedText(index.data(NameRole).toString(), Qt::ElideMiddle, nameRect.width()));
        p->setFont(option.font);
        p->setPen(dim);
        p->drawText(QRect(r.right() - totalW, r.top(), totalW, fm.height()), Qt::AlignRight | Qt::AlignVCenter, total);

        int x = r.left();
        const int y = r.top() + fm.height() + 2;
        const std::pair<Status, int> counts[] = {
            {Status::Pending, PendingRole}, {Status::Accepted, AcceptedRole}, {Status::Rejected, RejectedRole}};
        for (const auto& [status, role] : counts) {
            p->setPen(Qt::NoPen);
            p->setBrush(StatusColors::color(status));
            p->drawEllipse(QPointF(x + 4, y + fm.height() / 2.0), 4, 4);
            x += 12;
            const QString n = locale.toString(index.data(role).toLongLong());
            p->setPen(dim);
            p->drawText(QRect(x, y, fm.horizontalAdvance(n) + 2, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, n);
            x += fm.horizontalAdvance(n) + 12;
        }
        p->restore();
    }
};

void fill(QListWidgetItem* item, const QString& name, const QString& label, std::int64_t total, std::int64_t pending,
          std::int64_t accepted, std::int64_t rejected, bool all)
{
    item->setData(NameRole, label);
    item->setData(Qt::UserRole, name);
    item->setData(TotalRole, static_cast<qlonglong>(total));
    item->setData(PendingRole, static_cast<qlonglong>(pending));
    item->setData(AcceptedRole, static_cast<qlonglong>(accepted));
    item->setData(RejectedRole, static_cast<qlonglong>(rejected));
    item->setData(AllRole, all);
    const QLocale locale;
    const QString tip = SourcesPanel::tr("%1\n%2 items: %3 pending, %4 accepted, %5 rejected")
                            .arg(label, locale.toString(static_cast<qlonglong>(total)),
                                 locale.toString(static_cast<qlonglong>(pending)),
                                 locale.toString(static_cast<qlonglong>(accepted)),
                                 locale.toString(static_cast<qlonglong>(rejected)));
    item->setData(Qt::AccessibleTextRole, tip);
    item->setData(Qt::UserRole + 100, tip);
    item->setToolTip(plainToolTip(tip));
}

} // namespace

SourcesPanel::SourcesPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("sourcesPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* header = new QLabel(tr("Sources"), this);
    QFont f = header->font();
    f.setBold(true);
    header->setFont(f);
    header->setContentsMargins(10, 8, 10, 4);
    layout->addWidget(header);

    m_stack = new QStackedWidget(this);
    m_list = new QListWidget(m_stack);
    m_list->setObjectName(QStringLiteral("sourcesList"));
    m_list->setItemDelegate(new SourceDelegate(m_list));
    m_list->setUniformItemSizes(true);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setFocusPolicy(Qt::ClickFocus);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stack->addWidget(m_list);
    m_empty = new QLabel(m_stack);
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setContentsMargins(12, 12, 12, 12);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_empty);
    layout->addWidget(m_stack);

    connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        m_current = item->data(Qt::UserRole).toString();
        Q_EMIT sourceActivated(m_current);
    });
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        m_current = item->data(Qt::UserRole).toString();
        Q_EMIT sourceActivated(m_current);
    });
    setEmptyText(QString());
}

void SourcesPanel::setEmptyText(const QString& text)
{
    m_empty->setText(text);
    if (m_list->count() == 0)
        m_stack->setCurrentWidget(m_empty);
}

void SourcesPanel::setSources(const QList<SourceCounts>& sources)
{
    m_list->clear();
    if (sources.isEmpty()) {
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    std::int64_t total = 0, pending = 0, accepted = 0, rejected = 0;
    for (const SourceCounts& s : sources) {
        total += s.total;
        pending += s.pending;
        accepted += s.accepted;
        rejected += s.rejected;
    }
    fill(new QListWidgetItem(m_list), QString(), tr("All items"), total, pending, accepted, rejected, true);
    for (const SourceCounts& s : sources) {
        auto* item = new QListWidgetItem(m_list);
        fill(item, s.name, s.name, s.total, s.pending, s.accepted, s.rejected, false);
        item->setToolTip(plainToolTip(item->data(Qt::UserRole + 100).toString() + u'\n' + s.path));
    }
    m_stack->setCurrentWidget(m_list);
    setCurrentSource(m_current);
}

void SourcesPanel::setCurrentSource(const QString& name)
{
    m_current = name;
    const QSignalBlocker block(m_list);
    for (int k = 0; k < m_list->count(); ++k) {
        if (m_list->item(k)->data(Qt::UserRole).toString() == name) {
            m_list->setCurrentRow(k);
            return;
        }
    }
    m_list->clearSelection();
}

} // namespace facet
