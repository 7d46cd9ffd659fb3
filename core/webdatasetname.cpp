#include "webdatasetname.h"

namespace facet::webdataset {

KeyExt split(std::string_view name)
{
    const std::size_t slash = name.rfind('/');
    const std::size_t baseStart = slash == std::string_view::npos ? 0 : slash + 1;
    const std::size_t dot = name.find('.', baseStart);
    if (dot == std::string_view::npos)
        return {name, {}};
    return {name.substr(0, dot), name.substr(dot + 1)};
}

bool isMeta(std::string_view name)
{
    const std::size_t slash = name.rfind('/');
    const std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
    return base.size() >= 4 && base.substr(0, 2) == "__" && base.substr(base.size() - 2) == "__";
}

bool extIs(std::string_view ext, std::string_view lowercase)
{
    if (ext.size() != lowercase.size())
        return false;
    for (std::size_t i = 0; i < ext.size(); ++i) {
        char c = ext[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != lowercase[i])
            return false;
    }
    return true;
}

bool isImageExtension(std::string_view ext)
{
    return extIs(ext, "jpg") || extIs(ext, "jpeg") || extIs(ext, "png") || extIs(ext, "webp");
}

} // namespace facet::webdataset
