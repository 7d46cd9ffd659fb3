#pragma once

#include <QDialog>

class QAction;
class QTreeWidget;

namespace facet {

/**
 * The ? sheet: every keyboard shortcut of the window, read from the actions themselves so the
 * sheet cannot drift from what the keys do, plus the editor keys that are not actions.
 */
class ShortcutSheet final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShortcutSheet)

public:
    ShortcutSheet(const QList<QAction*>& actions, QWidget* parent = nullptr);

    QTreeWidget* view() const { return m_view; }

private:
    QTreeWidget* m_view;
};

} // namespace facet
