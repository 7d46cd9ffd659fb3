#include "palette.h"

#include <cmath>

namespace facet {

QString Palette::Rgb::hex() const
{
    return QStringLiteral("#%1%2%3")
        .arg(r, 2, 16, QLatin1Char('0'))
        .arg(g, 2, 16, QLatin1Char('0'))
        .arg(b, 2, 16, QLatin1Char('0'));
}

std::optional<Palette::Rgb> Palette::builtInFacet(const QString& key)
{
    if (key == u"world_knowledge")
        return Rgb{0x8b, 0x5c, 0xf6}; // violet
    if (key == u"attributes")
        return Rgb{0xe0, 0x8e, 0x1b}; // amber
    if (key == u"spatial")
        return Rgb{0x12, 0xa1, 0x9a}; // teal
    if (key == u"art")
        return Rgb{0xdb, 0x4f, 0x9b}; // pink
    if (key == u"other")
        return Rgb{0xa0, 0x82, 0x6d}; // taupe
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
    const struct
    {
        Rgb rgb;
        QString what;
    } reserved[] = {
        {accepted, tr("the colour of accepted items")},
        {rejected, tr("the colour of rejected items")},
        {pending, tr("the colour of pending items")},
        {recaptioned, tr("the colour of recaptioned items")},
        {*builtInFacet(QStringLiteral("world_knowledge")), tr("the colour of the world_knowledge facet")},
        {*builtInFacet(QStringLiteral("attributes")), tr("the colour of the attributes facet")},
        {*builtInFacet(QStringLiteral("spatial")), tr("the colour of the spatial facet")},
        {*builtInFacet(QStringLiteral("art")), tr("the colour of the art facet")},
        {*builtInFacet(QStringLiteral("other")), tr("the colour of the other facet")},
    };
    for (const auto& r : reserved) {
        if (distance(color, r.rgb) < kTooClose)
            return QStringLiteral("%1 (%2)").arg(r.what, r.rgb.hex());
    }
    return {};
}

} // namespace facet
