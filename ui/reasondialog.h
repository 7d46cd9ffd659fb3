#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;

namespace facet {

/**
 * Asked by R: an optional reason for the rejection. Small, opened window-modal without blocking
 * (open(), not exec()), Enter confirms, Esc cancels. Recent reasons are offered as completions.
 */
class ReasonDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReasonDialog)

public:
    ReasonDialog(int count, const QStringList& recentReasons, QWidget* parent = nullptr);

    QString reason() const;
    QLineEdit* reasonEdit() const { return m_reason; }

private:
    QLineEdit* m_reason;
};

} // namespace facet
