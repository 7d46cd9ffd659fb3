#include "facetcolors.h"

namespace facet {

const QStringList& FacetColors::keys()
{
    static const QStringList k{QStringLiteral("world_knowledge"), QStringLiteral("attributes"),
                               QStringLiteral("spatial"), QStringLiteral("art"), QStringLiteral("other")};
    return k;
}

QColor FacetColors::color(const QString& key)
{
    if (key == u"world_knowledge")
        return QColor(0x8b, 0x5c, 0xf6); // violet
    if (key == u"attributes")
        return QColor(0xe0, 0x8e, 0x1b); // amber
    if (key == u"spatial")
        return QColor(0x12, 0xa1, 0x9a); // teal
    if (key == u"art")
        return QColor(0xdb, 0x4f, 0x9b); // pink
    return QColor(0xa0, 0x82, 0x6d);     // taupe, for other
}

QString FacetColors::label(const QString& key)
{
    if (key == u"world_knowledge")
        return tr("World knowledge");
    if (key == u"attributes")
        return tr("Attributes");
    if (key == u"spatial")
        return tr("Spatial");
    if (key == u"art")
        return tr("Art");
    if (key == u"other")
        return tr("Other");
    return key;
}

} // namespace facet
