#pragma once

#include "facetmodel.h"

#include <QColor>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace facet {

/**
 * One fixed colour per facet (world_knowledge, attributes, spatial, art, other), used for the grid
 * badges, the caption highlight and the legend, so a colour means the same facet everywhere. The
 * hues avoid the status colours (green, red, blue) so a facet dot is never read as a review state.
 *
 * The open project's own facets (declared in its cues, docs/facets.md) follow the built-in five,
 * with the name and colour their document gives; one without a colour gets one from a fixed set.
 * They are registered on the GUI thread when a project opens and cleared when it closes; every
 * reader runs on the GUI thread too.
 */
class FacetColors final
{
    Q_DECLARE_TR_FUNCTIONS(facet::FacetColors)

public:
    /** The facet keys in display order: the built-in five, then the project's own. */
    static const QStringList& keys();
    /** The facet's colour; unknown keys get the colour of `other`. */
    static QColor color(const QString& key);
    /** Human-readable name ("World knowledge"; a project facet's declared name, else its key). */
    static QString label(const QString& key);

    /** Registers the open project's facets (its model's facets; the built-in ones are skipped). */
    static void setProjectFacets(const QList<FacetInfo>& facets);
};

} // namespace facet
