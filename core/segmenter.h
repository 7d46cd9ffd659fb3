#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <vector>

namespace facet {

/** A half-open character range [start, end) of a caption, in UTF-16 units (QString indexes). */
struct TextSpan
{
    int start = 0;
    int end = 0;

    int length() const { return end - start; }
    friend bool operator==(const TextSpan&, const TextSpan&) = default;
};

/**
 * Splits a caption into sentence-like segments without rewriting it: each segment is a span of the
 * caption, so the caption stays the single source of truth.
 *
 * The rules (docs/facets.md has the full list and the reasons):
 * - A span never starts or ends with whitespace.
 * - Markdown list markers (`- `, `* `, `+ `, `• `, `1. `, `2) `) and heading marks (`## `) at the
 *   start of a line are left OUT of the span; inline markup such as `**bold**` stays in it.
 * - Hard breaks: a blank line (paragraph), a line that starts with a list marker or heading mark, a
 *   line that is a heading (`**Spatial layout:**`, a line ending in `:`), and any newline that is not
 *   followed by a lowercase letter (a lowercase next line continues a hard-wrapped sentence).
 * - Sentences end at `.`, `!`, `?`, `…` and `...` (with any closing quotes, brackets or `**` that follow)
 *   when whitespace and then something other than a lowercase letter follows, so "3.5", "e.g. the",
 *   `He said "Stop." Then` and "U.S. flag" behave. Titles and Latin abbreviations (Mr., Dr., St.,
 *   e.g., i.e., vs., approx., ...) and initials (J. K. Rowling) never end a sentence; "etc.", "U.S.",
 *   "a.m." end one only when a capitalised word follows.
 * - Chinese/Japanese text ends sentences at 。！？ (and ASCII ! ? directly before CJK text) without
 *   needing a space; the full-width semicolon does not split.
 * - Text after the last terminator is a segment of its own (unterminated sentences are kept).
 * - Segments without any letter or digit (`---`, `***`) are dropped.
 *
 * A hand-written scanner: linear in the text, no regular expressions, no allocation per character.
 */
class Segmenter final
{
public:
    static std::vector<TextSpan> split(QStringView text);

    /** Convenience for tests and tools: the segment texts. */
    static QStringList sentences(const QString& text);
};

} // namespace facet
