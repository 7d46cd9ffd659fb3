#include "facetcolors.h"

#include "palette.h"
#include "statuscolors.h"

#include <QHash>

#include <iterator>

namespace facet {

namespace {

const QStringList& builtInKeys()
{
    static const QStringList k{QStringLiteral("world_knowledge"), QStringLiteral("attributes"),
                               QStringLiteral("spatial"), QStringLiteral("art"), QStringLiteral("other")};
    return k;
}

// The open project's own facets; GUI thread only (see the class comment).
struct ProjectFacets
{
    QStringList keys; // built-in keys first, then the project's
    QHash<QString, QColor> colors;
    QHash<QString, QString> names;
};

ProjectFacets& projectFacets()
{
    static ProjectFacets p{builtInKeys(), {}, {}};
    return p;
}

// For project facets that declare no colour: none is within Palette::clash()'s distance of the
// built-in five or the status colours.
const QColor kSpareColors[] = {QColor(0x6b, 0x8e, 0x23), QColor(0xb8, 0x86, 0x0b), QColor(0x8b, 0x45, 0x13),
                               QColor(0x2c, 0x3e, 0x50), QColor(0x99, 0x32, 0xcc), QColor(0xcd, 0x5c, 0x5c)};

} // namespace

const QStringList& FacetColors::keys()
{
    return projectFacets().keys;
}

void FacetColors::setProjectFacets(const QList<FacetInfo>& facets)
{
    ProjectFacets p{builtInKeys(), {}, {}};
    int spare = 0;
    for (const FacetInfo& f : facets) {
        if (builtInKeys().contains(f.key) || p.keys.contains(f.key))
            continue;
        p.keys.append(f.key);
        const QColor declared(f.color);
        p.colors.insert(f.key, declared.isValid() ? declared
                                                  : kSpareColors[spare++ % static_cast<int>(std::size(kSpareColors))]);
        if (!f.name.isEmpty())
            p.names.insert(f.key, f.name);
    }
    projectFacets() = std::move(p);
}

QColor FacetColors::color(const QString& key)
{
    if (const std::optional<Palette::Rgb> builtIn = Palette::builtInFacet(key))
        return qColor(*builtIn);
    const auto own = projectFacets().colors.constFind(key);
    if (own != projectFacets().colors.constEnd())
        return own.value();
    return qColor(*Palette::builtInFacet(QStringLiteral("other")));
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
    return projectFacets().names.value(key, key);
}

} // namespace facet
