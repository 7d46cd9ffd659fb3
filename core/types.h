#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace facet {

using ItemId = std::int64_t;

enum class Status : int
{
    Pending = 0,
    Accepted = 1,
    Rejected = 2
};
enum class ImageState : int
{
    None = 0,
    Ok = 1,
    Missing = 2,
    Broken = 3
};
enum class Origin : int
{
    Imported = 0,
    Human = 1,
    Model = 2
};

QString statusKey(Status s); // "pending", "accepted", "rejected"
std::optional<Status> statusFromKey(const QString& key);
QString imageStateKey(ImageState s); // "none", "ok", "missing", "broken"
std::optional<ImageState> imageStateFromKey(const QString& key);
QString originKey(Origin o); // "imported", "human", "model"
std::optional<Origin> originFromKey(const QString& key);

} // namespace facet
