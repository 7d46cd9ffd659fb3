#pragma once

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QTemporaryDir>

namespace facet::test {

/** Path of a file under tests/data. */
inline QString dataPath(const QString& name)
{
    return QStringLiteral(FACET_TEST_DATA "/") + name;
}

/** Writes `content` to `dir/name` (creating folders) and returns the path. */
inline QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& content)
{
    const QString path = dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content);
    return path;
}

} // namespace facet::test
