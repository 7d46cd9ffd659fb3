#pragma once

#include <QCoreApplication>
#include <QColor>
#include <QString>
#include <QStringList>

namespace facet {

/**
 * One fixed colour per facet (world_knowledge, attributes, spatial, art, other), used for the grid
 * badges, the caption highlight and the legend, so a colour means the same facet everywhere. The
 * hues avoid the status colours (green, red, blue) so a facet dot is never read as a review state.
 */
class FacetColors final
{
    Q_DECLARE_TR_FUNCTIONS(facet::FacetColors)

public:
    /** The facet keys in display order. */
    static const QStringList& keys();
    /** The facet's colour; unknown keys get the colour of `other`. */
    static QColor color(const QString& key);
    /** Human-readable name ("World knowledge"). */
    static QString label(const QString& key);
};

} // namespace facet
