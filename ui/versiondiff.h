#pragma once

#include "itemstore.h"

#include <QDialog>
#include <QString>

#include <cstdint>

class QComboBox;
class QLabel;
class QPushButton;
class QTextBrowser;

namespace facet {

/** One piece of a word-level diff: a word or the whitespace after it, and which side(s) have it. */
struct DiffPiece
{
    enum class Kind
    {
        Same,
        Removed,
        Added
    };
    Kind kind = Kind::Same;
    QString text;
};

/**
 * Word-level diff of two texts (longest common subsequence over words; whitespace travels with the
 * word before it). Removed pieces exist only in `before`, Added only in `after`.
 */
QList<DiffPiece> diffWords(const QString& before, const QString& after);

/**
 * Two caption versions of one item side by side, words removed on the left and added on the right
 * highlighted. Any two versions can be chosen (default: the one before the current, and the
 * current). "Keep this version" on either side makes it current through Curation::keepVersion on a
 * connection of its own (one journalled action: Ctrl+Z in the review window reverts it).
 */
class VersionDiffDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VersionDiffDialog)

public:
    /** `left`/`right`: indexes into detail.versions; -1 picks the defaults. */
    VersionDiffDialog(const QString& projectPath, bool readOnly, const ItemDetail& detail, int left = -1,
                      int right = -1, QWidget* parent = nullptr);

    void setVersions(int left, int right);
    /** Makes the version shown on that side current (off the GUI thread). */
    void keep(bool rightSide);

    QComboBox* leftCombo() const { return m_combo[0]; }
    QComboBox* rightCombo() const { return m_combo[1]; }
    QTextBrowser* leftView() const { return m_view[0]; }
    QTextBrowser* rightView() const { return m_view[1]; }
    QPushButton* keepButton(bool rightSide) const { return m_keep[rightSide ? 1 : 0]; }
    QLabel* statusLabel() const { return m_status; }

Q_SIGNALS:
    /** A version was made current. */
    void versionKept(facet::ItemId item, qint64 versionId);

private:
    void render();

    QString m_projectPath;
    bool m_readOnly;
    ItemDetail m_detail;
    QComboBox* m_combo[2] = {};
    QTextBrowser* m_view[2] = {};
    QPushButton* m_keep[2] = {};
    QLabel* m_status;
    bool m_busy = false;
};

} // namespace facet
