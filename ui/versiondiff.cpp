#include "versiondiff.h"

#include "backgroundtask.h"
#include "curation.h"
#include "project.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace facet {

namespace {

// Fixed colours (not the palette's): the same meaning in light and dark themes.
constexpr auto kRemovedBackground = "#f8d0cc";
constexpr auto kRemovedText = "#7a1410";
constexpr auto kAddedBackground = "#c9efd0";
constexpr auto kAddedText = "#0d5a1f";

/** Words with the whitespace that follows each (leading whitespace is a piece of its own). */
QStringList tokens(const QString& text)
{
    QStringList out;
    static const QRegularExpression word(u"\\s*\\S+\\s*|\\s+"_s);
    auto it = word.globalMatch(text);
    while (it.hasNext())
        out << it.next().captured(0);
    return out;
}

QString originText(const CaptionVersion& v)
{
    switch (v.origin) {
    case Origin::Model:
        return VersionDiffDialog::tr("model %1").arg(v.model);
    case Origin::Human:
        return VersionDiffDialog::tr("edited by %1").arg(v.author);
    default:
        return VersionDiffDialog::tr("imported");
    }
}

} // namespace

QList<DiffPiece> diffWords(const QString& before, const QString& after)
{
    const QStringList a = tokens(before);
    const QStringList b = tokens(after);
    // Compare words without their whitespace, so a changed line break is not a changed word.
    auto key = [](const QString& t) { return t.trimmed(); };
    const qsizetype n = a.size(), m = b.size();
    std::vector<std::vector<int>> lcs(size_t(n + 1), std::vector<int>(size_t(m + 1), 0));
    for (qsizetype i = n - 1; i >= 0; --i)
        for (qsizetype j = m - 1; j >= 0; --j)
            lcs[size_t(i)][size_t(j)] = key(a.at(i)) == key(b.at(j))
                                            ? lcs[size_t(i + 1)][size_t(j + 1)] + 1
                                            : std::max(lcs[size_t(i + 1)][size_t(j)], lcs[size_t(i)][size_t(j + 1)]);
    QList<DiffPiece> out;
    auto push = [&out](DiffPiece::Kind kind, const QString& text) {
        if (!out.isEmpty() && out.last().kind == kind)
            out.last().text += text;
        else
            out.append({kind, text});
    };
    qsizetype i = 0, j = 0;
    while (i < n && j < m) {
        if (key(a.at(i)) == key(b.at(j))) {
            push(DiffPiece::Kind::Same, b.at(j));
            ++i;
            ++j;
        } else if (lcs[size_t(i + 1)][size_t(j)] >= lcs[size_t(i)][size_t(j + 1)]) {
            push(DiffPiece::Kind::Removed, a.at(i++));
        } else {
            push(DiffPiece::Kind::Added, b.at(j++));
        }
    }
    while (i < n)
        push(DiffPiece::Kind::Removed, a.at(i++));
    while (j < m)
        push(DiffPiece::Kind::Added, b.at(j++));
    return out;
}

VersionDiffDialog::VersionDiffDialog(const QString& projectPath, bool readOnly, const ItemDetail& detail, int left,
                                     int right, QWidget* parent)
    : QDialog(parent)
    , m_projectPath(projectPath)
    , m_readOnly(readOnly)
    , m_detail(detail)
{
    setObjectName(u"versionDiffDialog"_s);
    setWindowTitle(tr("Compare Caption Versions — %1").arg(detail.summary.extId));

    auto* grid = new QGridLayout;
    for (int side = 0; side < 2; ++side) {
        m_combo[side] = new QComboBox(this);
        m_combo[side]->setObjectName(side ? u"rightVersionCombo"_s : u"leftVersionCombo"_s);
        for (qsizetype k = 0; k < detail.versions.size(); ++k) {
            const CaptionVersion& v = detail.versions.at(k);
            const QDateTime at = QDateTime::fromString(v.createdAt, Qt::ISODate);
            const QString when = at.isValid() ? QLocale().toString(at.toLocalTime(), QLocale::ShortFormat)
                                              : v.createdAt;
            QString label = tr("v%1 · %2 · %3").arg(k + 1).arg(originText(v), when);
            if (v.id == detail.currentVersion)
                label += tr(" (current)");
            m_combo[side]->addItem(label, static_cast<qlonglong>(k));
        }
        m_view[side] = new QTextBrowser(this);
        m_view[side]->setObjectName(side ? u"rightDiffView"_s : u"leftDiffView"_s);
        m_view[side]->setOpenLinks(false);
        m_keep[side] = new QPushButton(tr("&Keep This Version"), this);
        m_keep[side]->setObjectName(side ? u"keepRightButton"_s : u"keepLeftButton"_s);
        grid->addWidget(m_combo[side], 0, side);
        grid->addWidget(m_view[side], 1, side);
        grid->addWidget(m_keep[side], 2, side, Qt::AlignLeft);
        connect(m_combo[side], &QComboBox::currentIndexChanged, this, &VersionDiffDialog::render);
        connect(m_keep[side], &QPushButton::clicked, this, [this, side] { keep(side == 1); });
    }
    grid->setRowStretch(1, 1);

    auto* legend = new QLabel(this);
    legend->setTextFormat(Qt::RichText); // our own fixed markup; captions never go through here
    legend->setText(tr("<span style=\"background:%1;color:%2\">&nbsp;removed&nbsp;</span> only on the left · "
                       "<span style=\"background:%3;color:%4\">&nbsp;added&nbsp;</span> only on the right")
                        .arg(QLatin1String(kRemovedBackground), QLatin1String(kRemovedText),
                             QLatin1String(kAddedBackground), QLatin1String(kAddedText)));
    m_status = new QLabel(this);
    m_status->setObjectName(u"diffStatus"_s);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(grid, 1);
    layout->addWidget(legend);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(1000, 520);

    // Defaults: the version before the current one on the left, the current one on the right.
    qsizetype current = detail.versions.size() - 1;
    for (qsizetype k = 0; k < detail.versions.size(); ++k)
        if (detail.versions.at(k).id == detail.currentVersion)
            current = k;
    if (right < 0)
        right = int(current);
    if (left < 0)
        left = right > 0 ? right - 1 : std::min<int>(1, int(detail.versions.size()) - 1);
    setVersions(left, right);
}

void VersionDiffDialog::setVersions(int left, int right)
{
    m_combo[0]->blockSignals(true);
    m_combo[0]->setCurrentIndex(left);
    m_combo[0]->blockSignals(false);
    m_combo[1]->setCurrentIndex(right);
    render();
}

void VersionDiffDialog::render()
{
    const int left = m_combo[0]->currentIndex();
    const int right = m_combo[1]->currentIndex();
    if (left < 0 || right < 0 || left >= m_detail.versions.size() || right >= m_detail.versions.size())
        return;
    const CaptionVersion& a = m_detail.versions.at(left);
    const CaptionVersion& b = m_detail.versions.at(right);
    QString html[2];
    for (const DiffPiece& piece : diffWords(a.text, b.text)) {
        const QString text = piece.text.toHtmlEscaped(); // a caption is text, never markup
        switch (piece.kind) {
        case DiffPiece::Kind::Same:
            html[0] += text;
            html[1] += text;
            break;
        case DiffPiece::Kind::Removed:
            html[0] += u"<span style=\"background-color:%1;color:%2\">%3</span>"_s.arg(
                QLatin1String(kRemovedBackground), QLatin1String(kRemovedText), text);
            break;
        case DiffPiece::Kind::Added:
            html[1] += u"<span style=\"background-color:%1;color:%2\">%3</span>"_s.arg(QLatin1String(kAddedBackground),
                                                                                       QLatin1String(kAddedText), text);
            break;
        }
    }
    const CaptionVersion* versions[2] = {&a, &b};
    for (int side = 0; side < 2; ++side) {
        m_view[side]->setHtml(u"<div style=\"white-space:pre-wrap\">"_s + html[side] + u"</div>"_s);
        const bool current = versions[side]->id == m_detail.currentVersion;
        m_keep[side]->setEnabled(!m_readOnly && !m_busy && !current);
        m_keep[side]->setToolTip(current ? tr("This version is the current caption") : QString());
    }
}

void VersionDiffDialog::keep(bool rightSide)
{
    const int index = m_combo[rightSide ? 1 : 0]->currentIndex();
    if (m_readOnly || m_busy || index < 0 || index >= m_detail.versions.size())
        return;
    const std::int64_t versionId = m_detail.versions.at(index).id;
    const ItemId item = m_detail.summary.id;
    const QString path = m_projectPath;
    m_busy = true;
    m_keep[0]->setEnabled(false);
    m_keep[1]->setEnabled(false);
    m_status->setText(tr("Keeping v%1…").arg(index + 1));
    runInBackground(
        this,
        [path, item, versionId] {
            const auto project = Project::open(path);
            return Curation(*project).keepVersion(item, versionId, Curation::defaultReviewer());
        },
        [this, item, versionId, index](std::optional<bool> changed, const QString& error) {
            m_busy = false;
            if (!changed) {
                m_status->setText(tr("Could not keep the version: %1").arg(error));
                render();
                return;
            }
            m_detail.currentVersion = versionId;
            for (int side = 0; side < 2; ++side) {
                for (int k = 0; k < m_combo[side]->count(); ++k) {
                    QString label = m_combo[side]->itemText(k).remove(tr(" (current)"));
                    if (k == index)
                        label += tr(" (current)");
                    m_combo[side]->setItemText(k, label);
                }
            }
            m_status->setText(
                tr("v%1 is now the current caption (Ctrl+Z in the review window undoes it).").arg(index + 1));
            render();
            Q_EMIT versionKept(item, versionId);
        });
}

} // namespace facet
