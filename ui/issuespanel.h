#pragma once

#include <QDockWidget>

#include <cstdint>

class QLabel;
class QTreeWidget;

namespace facet {

/**
 * The Issues dock: skipped import records, broken images, failed actions. Each row names the
 * file, the record (index or id) and the reason. It collects problems instead of a stack of
 * modal boxes, and shows itself when something is added.
 */
class IssuesPanel final : public QDockWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IssuesPanel)

public:
    explicit IssuesPanel(QWidget* parent = nullptr);

    /** Adds one issue; `index` < 0 and an empty `id` mean "not about one record". */
    void addIssue(const QString& file, std::int64_t index, const QString& id, const QString& reason);
    /** A line saying how many more were not listed (the importer caps its error list). */
    void addNote(const QString& text);
    int issueCount() const;
    QTreeWidget* view() const { return m_view; }

public Q_SLOTS:
    void clearIssues();

private:
    void updateTitle();

    QTreeWidget* m_view;
    QLabel* m_empty;
};

} // namespace facet
