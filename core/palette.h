#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace facet {

/**
 * The fixed colours of PRODUCT.md ("Status colours are fixed and used everywhere… Each facet has
 * one fixed colour"), in one place for the window (StatusColors, FacetColors) and the command line,
 * which warns when a project's own facet declares a colour a reader would take for one of them.
 * Plain RGB: core has no QtGui.
 */
class Palette final
{
    Q_DECLARE_TR_FUNCTIONS(facet::Palette)

public:
    struct Rgb
    {
        int r = 0;
        int g = 0;
        int b = 0;
        QString hex() const;
    };

    static constexpr Rgb accepted{0x2e, 0xa0, 0x4f};
    static constexpr Rgb rejected{0xd9, 0x3f, 0x3c};
    static constexpr Rgb pending{0x8c, 0x91, 0x99}; // a mid grey that reads on light and dark
    static constexpr Rgb recaptioned{0x2f, 0x7e, 0xd8};

    /** The built-in facets' colours; nullopt for any other key. */
    static std::optional<Rgb> builtInFacet(const QString& key);

    /** "#rrggbb" (or "#rgb") → Rgb; nullopt when it is not one. */
    static std::optional<Rgb> parse(const QString& hex);

    /**
     * What `color` is too close to, for a warning ("the colour of rejected items (#d93f3c)"), or
     * an empty string. Compared with the status colours and the built-in facets' colours, by the
     * "redmean" approximation of perceived distance; closer than 64 is a clash (the built-in
     * colours are at least 80 apart from each other).
     */
    static QString clash(Rgb color);

    /** The redmean distance: 0 for equal colours, about 765 for black against white. */
    static double distance(Rgb a, Rgb b);
};

} // namespace facet
