#include "statuscolors.h"

namespace facet {

QColor StatusColors::color(Status status)
{
    switch (status) {
    case Status::Accepted:
        return QColor(0x2e, 0xa0, 0x4f);
    case Status::Rejected:
        return QColor(0xd9, 0x3f, 0x3c);
    case Status::Pending:
        break;
    }
    // Neutral: a mid grey that reads on both light and dark backgrounds.
    return QColor(0x8c, 0x91, 0x99);
}

QColor StatusColors::recaptioned()
{
    return QColor(0x2f, 0x7e, 0xd8);
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
