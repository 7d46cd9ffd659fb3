#include "types.h"

namespace facet {

QString statusKey(Status s)
{
    switch (s) {
    case Status::Pending:
        return QStringLiteral("pending");
    case Status::Accepted:
        return QStringLiteral("accepted");
    case Status::Rejected:
        return QStringLiteral("rejected");
    }
    return {};
}

std::optional<Status> statusFromKey(const QString& key)
{
    for (Status s : {Status::Pending, Status::Accepted, Status::Rejected})
        if (statusKey(s) == key)
            return s;
    return std::nullopt;
}

QString imageStateKey(ImageState s)
{
    switch (s) {
    case ImageState::None:
        return QStringLiteral("none");
    case ImageState::Ok:
        return QStringLiteral("ok");
    case ImageState::Missing:
        return QStringLiteral("missing");
    case ImageState::Broken:
        return QStringLiteral("broken");
    }
    return {};
}

std::optional<ImageState> imageStateFromKey(const QString& key)
{
    for (ImageState s : {ImageState::None, ImageState::Ok, ImageState::Missing, ImageState::Broken})
        if (imageStateKey(s) == key)
            return s;
    return std::nullopt;
}

QString originKey(Origin o)
{
    switch (o) {
    case Origin::Imported:
        return QStringLiteral("imported");
    case Origin::Human:
        return QStringLiteral("human");
    case Origin::Model:
        return QStringLiteral("model");
    }
    return {};
}

std::optional<Origin> originFromKey(const QString& key)
{
    for (Origin o : {Origin::Imported, Origin::Human, Origin::Model})
        if (originKey(o) == key)
            return o;
    return std::nullopt;
}

} // namespace facet
