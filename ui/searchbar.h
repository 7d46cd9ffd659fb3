#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace facet {

/**
 * The search box: takes the query language of PRODUCT.md (`status:pending source:sam chars:<200
 * "red car"`). Enter checks the text with Query::parse and either applies it or shows the parse
 * error inline, in red, under the box (never a modal box). A menu offers common filters.
 */
class SearchBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SearchBar)

public:
    explicit SearchBar(QWidget* parent = nullptr);

    /** The text of the filter in effect (what was last applied). */
    QString appliedText() const { return m_applied; }
    /** Sets the text and applies it (no signal when it is invalid: the error shows instead). */
    bool apply(const QString& text);
    /** Shows `text` as the applied filter without emitting. */
    void setAppliedText(const QString& text);
    /** Replaces every `key:` term of the applied text with `key:value` (value empty: removes them). */
    static QString withTerm(const QString& query, const QString& key, const QString& value);

    QLineEdit* edit() const { return m_edit; }
    QString errorText() const;
    bool hasError() const;

public Q_SLOTS:
    void focusSearch();

Q_SIGNALS:
    void applied(const QString& text);
    /** Esc: the user is done with the box; the grid takes the keyboard back. */
    void finished();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showError(const QString& message);

    QLineEdit* m_edit;
    QLabel* m_error;
    QToolButton* m_presets;
    QString m_applied;
};

} // namespace facet
