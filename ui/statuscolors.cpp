#include "statuscolors.h"

namespace facet {

QColor qColor(Palette::Rgb rgb)
{
    return QColor(rgb.r, rgb.g, rgb.b);
}

QColor StatusColors::color(Status status)
{
    switch (status) {
    case Status::Accepted:
        return qColor(Palette::accepted);
    case Status::Rejected:
        return qColor(Palette::rejected);
    case Status::Pending:
        break;
    }
    return qColor(Palette::pending);
}

QColor StatusColors::recaptioned()
{
    return qColor(Palette::recaptioned);
}

QString StatusColors::label(Status status)
{
    switch (status) {
    case Status::Accepted:
        return tr("Accepted");
    case Status::Rejected:
        return tr("Rejected");
    case Status::Pending:
        break;
    }
    return tr("Pending");
}

} // namespace facet
