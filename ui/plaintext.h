#pragma once

#include <QString>

namespace facet {

/**
 * Tooltips have no plain-text mode: Qt renders one as rich text when its first line looks like
 * markup. Captions, ids, paths and reasons are user data, so every tooltip that shows them goes
 * through this, which escapes the text and keeps its line breaks: `<b>x</b>` shows as typed.
 */
QString plainToolTip(const QString& text);

} // namespace facet
