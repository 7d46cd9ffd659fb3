#include "folderscanner.h"

#include <QDir>
#include <QFileInfo>

#include <vector>

namespace facet {

namespace {

// The WebDataset key of a file name: up to the first dot. Names without a dot (or starting with one)
// have no key and are not part of a sample.
QStringView keyOf(const QString& name)
{
    const qsizetype dot = name.indexOf(u'.');
    return dot > 0 ? QStringView(name).left(dot) : QStringView();
}

bool extIs(const QString& name, qsizetype keyLength, QLatin1String ext)
{
    return QStringView(name).mid(keyLength + 1).compare(ext, Qt::CaseInsensitive) == 0;
}

bool isImage(const QString& name, qsizetype keyLength)
{
    return extIs(name, keyLength, QLatin1String("jpg")) || extIs(name, keyLength, QLatin1String("jpeg"))
           || extIs(name, keyLength, QLatin1String("png")) || extIs(name, keyLength, QLatin1String("webp"));
}

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
    // Names only: an img2dataset shard folder holds 30,000 files, and some folders far more.
    const QStringList files = d.entryList(QDir::Files, QDir::Name);
    const QString prefix = relative.isEmpty() ? QString() : relative + QLatin1Char('/');

    // Names sharing a key ("a.jpg", "a.txt") are adjacent once sorted, because they all start with "a.".
    qsizetype i = 0;
    while (i < files.size()) {
        const QStringView key = keyOf(files[i]);
        qsizetype j = i + 1;
        while (j < files.size() && !key.isEmpty() && keyOf(files[j]) == key)
            ++j;
        if (key.isEmpty()) {
            i = j;
            continue;
        }
        QString txt, json;
        std::vector<qsizetype> images;
        for (qsizetype k = i; k < j; ++k) {
            const QString& name = files[k];
            if (extIs(name, key.size(), QLatin1String("tar")))
                onShard(d.filePath(name));
            else if (extIs(name, key.size(), QLatin1String("txt")))
                txt = d.filePath(name);
            else if (extIs(name, key.size(), QLatin1String("json")))
                json = d.filePath(name);
            else if (isImage(name, key.size()))
                images.push_back(k);
        }
        for (qsizetype k : images) {
            FolderSample s;
            s.key = prefix + key.toString();
            s.image = prefix + files[k];
            s.txtPath = txt;
            s.jsonPath = json;
            onSample(s);
        }
        i = j;
    }

    const QStringList dirs = d.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& name : dirs) {
        const QFileInfo fi(d.filePath(name));
        if (fi.isSymLink())
            continue;
        scanDir(fi.filePath(), prefix + name, onSample, onShard);
    }
}

} // namespace facet
