#pragma once

#include "itemstore.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace facet {

/**
 * The left-hand list: "All items" and one entry per source (an imported file, folder or shard
 * set), each with its pending / accepted / rejected counts in the status colours. Activating an
 * entry asks to filter by `source:NAME`.
 */
class SourcesPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SourcesPanel)

public:
    explicit SourcesPanel(QWidget* parent = nullptr);

    void setSources(const QList<SourceCounts>& sources);
    /** Highlights the entry for `name` (empty: "All items") without emitting anything. */
    void setCurrentSource(const QString& name);
    void setEmptyText(const QString& text);
    QListWidget* list() const { return m_list; }

Q_SIGNALS:
    /** Empty name: "All items". */
    void sourceActivated(const QString& name);

private:
    QListWidget* m_list;
    QLabel* m_empty;
    QStackedWidget* m_stack;
    QString m_current;
};

} // namespace facet
