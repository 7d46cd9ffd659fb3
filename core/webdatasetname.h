#pragma once

#include <string_view>

namespace facet::webdataset {

/** A member or file name split the way webdataset's tariterators.base_plus_ext does. */
struct KeyExt
{
    std::string_view key; ///< the path up to the first dot of the base name ("a/b" for "a/b.seg.png")
    std::string_view ext; ///< everything after that dot, not yet lowercased ("seg.png"); empty if none
};

/** Splits at the first dot of the base name. A name without a dot has no extension. */
KeyExt split(std::string_view name);

/** `__key__`-style members (base name starting and ending with "__") are metadata, not samples. */
bool isMeta(std::string_view name);

/** Extensions we take as the sample's image (compared case-insensitively). */
bool isImageExtension(std::string_view ext);

/** ASCII case-insensitive equality, for extensions. */
bool extIs(std::string_view ext, std::string_view lowercase);

} // namespace facet::webdataset
