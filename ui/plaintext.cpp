#include "plaintext.h"

namespace facet {

QString plainToolTip(const QString& text)
{
    if (text.isEmpty())
        return text; // an empty tooltip means "none"
    QString escaped = text.toHtmlEscaped();
    escaped.replace(u'\n', QLatin1String("<br>"));
    return QLatin1String("<qt>") + escaped + QLatin1String("</qt>");
}

} // namespace facet
