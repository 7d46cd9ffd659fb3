#include "palette.h"

#include <cmath>
#include <utility>

namespace facet {

QString Palette::Rgb::hex() const
{
    return QStringLiteral("#%1%2%3")
        .arg(r, 2, 16, QLatin1Char('0'))
        .arg(g, 2, 16, QLatin1Char('0'))
        .arg(b, 2, 16, QLatin1Char('0'));
}

namespace {

struct FacetColour
{
    const char16_t* key;
    Palette::Rgb rgb;
};

constexpr FacetColour kFacets[] = {
    {u"world_knowledge", {0x8b, 0x5c, 0xf6}}, // violet
    {u"attributes", {0xe0, 0x8e, 0x1b}},      // amber
    {u"spatial", {0x12, 0xa1, 0x9a}},         // teal
    {u"art", {0xdb, 0x4f, 0x9b}},             // pink
    {u"other", {0xa0, 0x82, 0x6d}},           // taupe
};

} // namespace

std::optional<Palette::Rgb> Palette::builtInFacet(const QString& key)
{
    for (const FacetColour& f : kFacets)
        if (key == QStringView(f.key))
            return f.rgb;
    return std::nullopt;
}

std::optional<Palette::Rgb> Palette::parse(const QString& hex)
{
    if (!hex.startsWith(u'#') || (hex.size() != 7 && hex.size() != 4))
        return std::nullopt;
    bool ok = false;
    const uint v = QStringView(hex).mid(1).toUInt(&ok, 16);
    if (!ok)
        return std::nullopt;
    if (hex.size() == 4) // #rgb: each digit doubled
        return Rgb{int((v >> 8) & 0xf) * 17, int((v >> 4) & 0xf) * 17, int(v & 0xf) * 17};
    return Rgb{int((v >> 16) & 0xff), int((v >> 8) & 0xff), int(v & 0xff)};
}

double Palette::distance(Rgb a, Rgb b)
{
    const double rmean = (a.r + b.r) / 2.0;
    const double dr = a.r - b.r;
    const double dg = a.g - b.g;
    const double db = a.b - b.b;
    return std::sqrt((2.0 + rmean / 256.0) * dr * dr + 4.0 * dg * dg + (2.0 + (255.0 - rmean) / 256.0) * db * db);
}

QString Palette::clash(Rgb color)
{
    constexpr double kTooClose = 64.0;
    const std::pair<Rgb, QString> statuses[] = {
        {accepted, tr("the colour of accepted items")},
        {rejected, tr("the colour of rejected items")},
        {pending, tr("the colour of pending items")},
        {recaptioned, tr("the colour of recaptioned items")},
    };
    for (const auto& [rgb, what] : statuses)
        if (distance(color, rgb) < kTooClose)
            return QStringLiteral("%1 (%2)").arg(what, rgb.hex());
    for (const FacetColour& f : kFacets)
        if (distance(color, f.rgb) < kTooClose)
            return QStringLiteral("%1 (%2)").arg(tr("the colour of the %1 facet").arg(QStringView(f.key)), f.rgb.hex());
    return {};
}

} // namespace facet
