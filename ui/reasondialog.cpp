#include "reasondialog.h"

#include <QCompleter>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace facet {

ReasonDialog::ReasonDialog(int count, const QStringList& recentReasons, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("reasonDialog"));
    setWindowTitle(tr("Reject"));
    auto* layout = new QVBoxLayout(this);
    auto* label = new QLabel(
        count == 1 ? tr("Reject this item?") : tr("Reject %1 selected items?").arg(QLocale().toString(count)), this);
    layout->addWidget(label);
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("reasonEdit"));
    m_reason->setPlaceholderText(tr("Reason (optional), e.g. hallucinated text, wrong landmark"));
    // Wide enough for the placeholder in the current font, so its example is never cut off.
    m_reason->setMinimumWidth(
        std::max(380, m_reason->fontMetrics().horizontalAdvance(m_reason->placeholderText()) + 24));
    if (!recentReasons.isEmpty()) {
        auto* completer = new QCompleter(recentReasons, m_reason);
        completer->setCaseSensitivity(Qt::CaseInsensitive);
        completer->setFilterMode(Qt::MatchContains);
        m_reason->setCompleter(completer);
    }
    layout->addWidget(m_reason);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* ok = buttons->addButton(tr("&Reject"), QDialogButtonBox::AcceptRole);
    ok->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    layout->setSizeConstraint(QLayout::SetFixedSize);
}

QString ReasonDialog::reason() const
{
    return m_reason->text().trimmed();
}

} // namespace facet
