#include "shortcutsheet.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeySequence>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace facet {

ShortcutSheet::ShortcutSheet(const QList<QAction*>& actions, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("shortcutSheet"));
    setWindowTitle(tr("Keyboard Shortcuts"));
    resize(520, 600);
    auto* layout = new QVBoxLayout(this);
    m_view = new QTreeWidget(this);
    m_view->setObjectName(QStringLiteral("shortcutList"));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setHeaderLabels({tr("Action"), tr("Keys")});
    m_view->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_view->header()->setStretchLastSection(false);

    for (QAction* a : actions) {
        const QList<QKeySequence> keys = a->shortcuts();
        if (keys.isEmpty())
            continue;
        QStringList shown;
        for (const QKeySequence& k : keys)
            shown << k.toString(QKeySequence::NativeText);
        // iconText() is the action's short name: no mnemonic, no ellipsis, and for Undo/Redo
        // not the changing "Undo Accept 3 items" of the menu.
        QString name = a->iconText();
        if (name.endsWith(u'…'))
            name.chop(1);
        new QTreeWidgetItem(m_view, {name, shown.join(QStringLiteral(", "))});
    }
    const std::pair<QString, QString> editorKeys[] = {
        {tr("Save the edited caption as a new version"),
         QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)},
        {tr("Cancel editing"), QKeySequence(Qt::Key_Escape).toString(QKeySequence::NativeText)},
        {tr("Extend the selection"), tr("Shift+click, Shift+arrows")},
        {tr("Add to the selection"), tr("Ctrl+click")},
        {tr("Apply the filter"), QKeySequence(Qt::Key_Return).toString(QKeySequence::NativeText)},
        // The sentence keys of the "By facet" tab belong to its list, not to window actions.
        {tr("Edit the selected sentence (By facet tab)"), QKeySequence(Qt::Key_F2).toString(QKeySequence::NativeText)},
        {tr("Move the selected sentence to another facet"), QKeySequence(Qt::Key_M).toString(QKeySequence::NativeText)},
        {tr("Delete the selected sentence"), QKeySequence(QKeySequence::Delete).toString(QKeySequence::NativeText)},
        {tr("Why this facet? (show or hide)"), QKeySequence(Qt::Key_W).toString(QKeySequence::NativeText)},
    };
    for (const auto& [name, keys] : editorKeys)
        new QTreeWidgetItem(m_view, {name, keys});
    layout->addWidget(m_view);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    layout->addWidget(buttons);
}

} // namespace facet
