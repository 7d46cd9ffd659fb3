#include "issuespanel.h"

#include "plaintext.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace facet {

namespace {

// The panel is for reading, not for archiving: beyond this the oldest rows go.
constexpr int kMaxRows = 5000;

} // namespace

IssuesPanel::IssuesPanel(QWidget* parent)
    : QDockWidget(tr("Issues"), parent)
{
    setObjectName(QStringLiteral("issuesPanel"));
    setAllowedAreas(Qt::BottomDockWidgetArea | Qt::TopDockWidgetArea);
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 2, 4, 4);
    layout->setSpacing(4);

    m_view = new QTreeWidget(body);
    m_view->setObjectName(QStringLiteral("issuesView"));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setHeaderLabels({tr("Time"), tr("File"), tr("Record"), tr("Reason")});
    m_view->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->header()->setStretchLastSection(true);
    m_view->setColumnWidth(0, 80);
    m_view->setColumnWidth(1, 260);
    m_view->setColumnWidth(2, 140);
    layout->addWidget(m_view, 1);

    auto* row = new QHBoxLayout;
    m_empty = new QLabel(tr("No issues. Skipped records and broken images will be listed here."), body);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    row->addWidget(m_empty);
    row->addStretch(1);
    auto* copy = new QPushButton(tr("Copy"), body);
    copy->setToolTip(tr("Copy the selected issues (or all of them) as tab-separated text"));
    connect(copy, &QPushButton::clicked, this, [this] {
        QList<QTreeWidgetItem*> items = m_view->selectedItems();
        if (items.isEmpty())
            for (int k = 0; k < m_view->topLevelItemCount(); ++k)
                items << m_view->topLevelItem(k);
        QStringList lines;
        for (QTreeWidgetItem* it : items)
            lines << QStringList{it->text(0), it->text(1), it->text(2), it->text(3)}.join(u'\t');
        QApplication::clipboard()->setText(lines.join(u'\n'));
    });
    row->addWidget(copy);
    auto* clear = new QPushButton(tr("Clear"), body);
    clear->setObjectName(QStringLiteral("issuesClear"));
    connect(clear, &QPushButton::clicked, this, &IssuesPanel::clearIssues);
    row->addWidget(clear);
    layout->addLayout(row);
    setWidget(body);
    updateTitle();
}

void IssuesPanel::addIssue(const QString& file, std::int64_t index, const QString& id, const QString& reason)
{
    // `index` is 0-based; people count records from 1.
    QString record;
    if (index >= 0 && !id.isEmpty())
        record = tr("#%1 (%2)").arg(QLocale().toString(static_cast<qlonglong>(index + 1)), id);
    else if (index >= 0)
        record = tr("#%1").arg(QLocale().toString(static_cast<qlonglong>(index + 1)));
    else
        record = id;
    auto* item = new QTreeWidgetItem(
        {QLocale().toString(QTime::currentTime(), QLocale::ShortFormat), file, record, reason});
    item->setToolTip(1, plainToolTip(file));
    item->setToolTip(3, plainToolTip(reason));
    m_view->addTopLevelItem(item);
    while (m_view->topLevelItemCount() > kMaxRows)
        delete m_view->takeTopLevelItem(0);
    m_view->scrollToItem(item);
    updateTitle();
    show();
    raise();
}

void IssuesPanel::addNote(const QString& text)
{
    addIssue(QString(), -1, QString(), text);
}

int IssuesPanel::issueCount() const
{
    return m_view->topLevelItemCount();
}

void IssuesPanel::clearIssues()
{
    m_view->clear();
    updateTitle();
}

void IssuesPanel::updateTitle()
{
    const int n = issueCount();
    setWindowTitle(n ? tr("Issues (%1)").arg(QLocale().toString(n)) : tr("Issues"));
    m_empty->setVisible(n == 0);
}

} // namespace facet
