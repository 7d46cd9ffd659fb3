#include "folderscanner.h"

#include "webdatasetname.h"

#include <QDir>
#include <QFileInfo>

#include <vector>

namespace facet {

namespace {

struct Entry
{
    QString name;
    QByteArray utf8;
    std::string_view key, ext;
};

} // namespace

FolderScanner::FolderScanner(const QString& root)
    : m_root(QDir::cleanPath(QFileInfo(root).absoluteFilePath()))
{
}

bool FolderScanner::hasShards(const QString& folder)
{
    return !QDir(folder).entryList({QStringLiteral("*.tar")}, QDir::Files).isEmpty();
}

void FolderScanner::scan(const std::function<void(const FolderSample&)>& onSample,
                         const std::function<void(const QString&)>& onShard) const
{
    scanDir(m_root, QString(), onSample, onShard);
}

void FolderScanner::scanDir(const QString& dir, const QString& relative,
                            const std::function<void(const FolderSample&)>& onSample,
                            const std::function<void(const QString&)>& onShard) const
{
    const QDir d(dir);
    const QFileInfoList files = d.entryInfoList(QDir::Files, QDir::Name);
    const QString prefix = relative.isEmpty() ? QString() : relative + QLatin1Char('/');

    // Names sharing a key ("a.jpg", "a.txt") are adjacent once sorted, because they all start with "a.".
    std::vector<Entry> entries;
    entries.reserve(static_cast<std::size_t>(files.size()));
    for (const QFileInfo& fi : files) {
        Entry e;
        e.name = fi.fileName();
        e.utf8 = e.name.toUtf8();
        entries.push_back(std::move(e));
    }
    for (Entry& e : entries) {
        const auto parts = webdataset::split(std::string_view(e.utf8.constData(), static_cast<std::size_t>(e.utf8.size())));
        e.key = parts.key;
        e.ext = parts.ext;
    }

    std::size_t i = 0;
    while (i < entries.size()) {
        std::size_t j = i + 1;
        while (j < entries.size() && entries[j].key == entries[i].key)
            ++j;
        // Shards first: a .tar's key group holds only itself in practice.
        QString txt, json;
        std::vector<std::size_t> images;
        for (std::size_t k = i; k < j; ++k) {
            const Entry& e = entries[k];
            if (webdataset::extIs(e.ext, "tar"))
                onShard(d.filePath(e.name));
            else if (webdataset::extIs(e.ext, "txt"))
                txt = d.filePath(e.name);
            else if (webdataset::extIs(e.ext, "json"))
                json = d.filePath(e.name);
            else if (webdataset::isImageExtension(e.ext))
                images.push_back(k);
        }
        for (std::size_t k : images) {
            FolderSample s;
            s.key = prefix + QString::fromUtf8(entries[k].key.data(), static_cast<qsizetype>(entries[k].key.size()));
            s.image = prefix + entries[k].name;
            s.txtPath = txt;
            s.jsonPath = json;
            onSample(s);
        }
        i = j;
    }

    const QFileInfoList dirs = d.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo& fi : dirs) {
        if (fi.isSymLink())
            continue;
        scanDir(fi.filePath(), prefix + fi.fileName(), onSample, onShard);
    }
}

} // namespace facet
