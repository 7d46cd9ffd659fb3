#include "searchbar.h"

#include "error.h"
#include "query.h"
#include "statuscolors.h"

#include <QAction>
#include <QApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace facet {

namespace {

/** Splits a query into its terms, keeping quoted phrases (and `key:"a b"`) whole. */
QStringList terms(const QString& query)
{
    QStringList out;
    QString current;
    bool quoted = false;
    for (qsizetype k = 0; k < query.size(); ++k) {
        const QChar c = query.at(k);
        if (c == u'\\' && quoted && k + 1 < query.size()) {
            current += c;
            current += query.at(++k);
            continue;
        }
        if (c == u'"')
            quoted = !quoted;
        if (c.isSpace() && !quoted) {
            if (!current.isEmpty())
                out << current;
            current.clear();
            continue;
        }
        current += c;
    }
    if (!current.isEmpty())
        out << current;
    return out;
}

QString quoteValue(const QString& value)
{
    bool plain = !value.isEmpty();
    for (QChar c : value)
        if (c.isSpace() || c == u'"')
            plain = false;
    if (plain)
        return value;
    QString escaped = value;
    escaped.replace(u'\\', QLatin1String("\\\\"));
    escaped.replace(u'"', QLatin1String("\\\""));
    return u'"' + escaped + u'"';
}

} // namespace

SearchBar::SearchBar(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("searchBar"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 4);
    layout->setSpacing(2);
    auto* row = new QHBoxLayout;
    row->setSpacing(4);

    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("searchEdit"));
    m_edit->setClearButtonEnabled(true);
    m_edit->setPlaceholderText(tr("Filter (Ctrl+F): status:pending source:sam facet:spatial chars:<200 \"red car\""));
    m_edit->setToolTip(tr("Terms must all hold; -term negates.\n"
                          "status:pending|accepted|rejected  source:NAME  facet:KEY\n"
                          "image:ok|missing|broken|none  origin:imported|human|model\n"
                          "model:NAME  reviewer:NAME  chars:<N  chars:>N  id:ID  path:GLOB\n"
                          "Other words and \"quoted phrases\" search the caption text.\n"
                          "Enter applies the filter; Esc returns to the grid."));
    m_edit->installEventFilter(this);
    row->addWidget(m_edit, 1);

    m_presets = new QToolButton(this);
    m_presets->setObjectName(QStringLiteral("filterPresets"));
    m_presets->setText(tr("Filters"));
    m_presets->setPopupMode(QToolButton::InstantPopup);
    m_presets->setFocusPolicy(Qt::NoFocus);
    auto* menu = new QMenu(m_presets);
    struct Preset
    {
        QString label, key, value;
    };
    const Preset presets[] = {
        {tr("Pending"), QStringLiteral("status"), QStringLiteral("pending")},
        {tr("Accepted"), QStringLiteral("status"), QStringLiteral("accepted")},
        {tr("Rejected"), QStringLiteral("status"), QStringLiteral("rejected")},
        {tr("Any status"), QStringLiteral("status"), QString()},
        {QString(), QString(), QString()},
        {tr("Edited by a human"), QStringLiteral("origin"), QStringLiteral("human")},
        {tr("Written by a model"), QStringLiteral("origin"), QStringLiteral("model")},
        {tr("Short captions (under 200 characters)"), QStringLiteral("chars"), QStringLiteral("<200")},
        {tr("Missing images"), QStringLiteral("image"), QStringLiteral("missing")},
        {tr("Broken images"), QStringLiteral("image"), QStringLiteral("broken")},
    };
    for (const Preset& p : presets) {
        if (p.label.isEmpty()) {
            menu->addSeparator();
            continue;
        }
        QAction* a = menu->addAction(p.label);
        if (p.key == u"status" && !p.value.isEmpty())
            a->setIcon([&] {
                QPixmap pm(12, 12);
                pm.fill(Qt::transparent);
                QPainter painter(&pm);
                painter.setRenderHint(QPainter::Antialiasing);
                painter.setPen(Qt::NoPen);
                painter.setBrush(StatusColors::color(*statusFromKey(p.value)));
                painter.drawEllipse(QRectF(1, 1, 10, 10));
                return QIcon(pm);
            }());
        const QString key = p.key, value = p.value;
        connect(a, &QAction::triggered, this, [this, key, value] { apply(withTerm(m_applied, key, value)); });
    }
    menu->addSeparator();
    connect(menu->addAction(tr("Clear filter")), &QAction::triggered, this, [this] { apply(QString()); });
    m_presets->setMenu(menu);
    row->addWidget(m_presets);
    layout->addLayout(row);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("searchError"));
    m_error->setTextFormat(Qt::PlainText); // the message quotes what the user typed
    m_error->setWordWrap(true);
    QPalette pal = m_error->palette();
    pal.setColor(QPalette::WindowText, StatusColors::color(Status::Rejected));
    m_error->setPalette(pal);
    m_error->hide();
    layout->addWidget(m_error);

    connect(m_edit, &QLineEdit::returnPressed, this, [this] { apply(m_edit->text()); });
    connect(m_edit, &QLineEdit::textEdited, this, [this](const QString& text) {
        // The error is about the text as it was; editing it makes the message stale.
        if (hasError())
            m_error->hide();
        // Emptying the box (its clear button, or deleting everything) means "no filter": the grid
        // must not go on showing a filter that is no longer written anywhere.
        if (text.isEmpty() && !m_applied.isEmpty())
            apply(QString());
    });
}

QString SearchBar::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

bool SearchBar::hasError() const
{
    return m_error->isVisibleTo(this);
}

void SearchBar::showError(const QString& message)
{
    m_error->setText(message);
    m_error->show();
}

bool SearchBar::apply(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (m_edit->text() != text)
        m_edit->setText(text);
    try {
        Query::parse(trimmed);
    } catch (const Error& e) {
        // The grid keeps the filter in effect; say which, so its count is not read as this query's.
        showError(e.message() + u'\n'
                  + (m_applied.isEmpty() ? tr("Still showing everything.")
                                         : tr("Still showing the filter “%1”.").arg(m_applied)));
        return false;
    }
    m_error->hide();
    m_applied = trimmed;
    Q_EMIT applied(trimmed);
    return true;
}

void SearchBar::setAppliedText(const QString& text)
{
    m_applied = text.trimmed();
    m_edit->setText(m_applied);
    m_error->hide();
}

QString SearchBar::withTerm(const QString& query, const QString& key, const QString& value)
{
    QStringList kept;
    const QString prefix = key + u':';
    for (const QString& t : terms(query))
        if (!t.startsWith(prefix, Qt::CaseInsensitive))
            kept << t;
    if (!value.isEmpty())
        kept.prepend(prefix + quoteValue(value));
    return kept.join(u' ');
}

void SearchBar::focusSearch()
{
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

bool SearchBar::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Escape) {
            // Leaving without Enter puts back the filter that is in effect.
            m_edit->setText(m_applied);
            m_error->hide();
            Q_EMIT finished();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace facet
