#pragma once

#include "palette.h"
#include "types.h"

#include <QColor>
#include <QCoreApplication>
#include <QString>

namespace facet {

/**
 * The fixed review colours of PRODUCT.md, used by the grid badges, the sources panel, the detail
 * panel and the status bar alike: accepted green, rejected red, pending neutral, recaptioned blue.
 * They stay the same in light and dark palettes so a reviewer learns them once.
 */
/** A core Palette colour as a QColor. */
QColor qColor(Palette::Rgb rgb);

class StatusColors final
{
    Q_DECLARE_TR_FUNCTIONS(facet::StatusColors)

public:
    static QColor color(Status status);
    static QColor recaptioned();
    /** "Pending", "Accepted", "Rejected" for labels and tooltips. */
    static QString label(Status status);
};

} // namespace facet
