#include "imagepath.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

#include <vector>

namespace facet {

namespace {

// Folds "." and ".." out of a relative path. Returns false when ".." climbs above the start.
bool cleanRelative(std::string_view path, std::string* out)
{
    std::vector<std::string_view> parts;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        std::size_t slash = path.find('/', pos);
        if (slash == std::string_view::npos)
            slash = path.size();
        const std::string_view part = path.substr(pos, slash - pos);
        pos = slash + 1;
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            if (parts.empty())
                return false;
            parts.pop_back();
            continue;
        }
        parts.push_back(part);
    }
    out->clear();
    for (std::string_view part : parts) {
        if (!out->empty())
            out->push_back('/');
        out->append(part);
    }
    return true;
}

} // namespace

ImageRoot::ImageRoot(const QString& folder)
    : m_folder(QDir::cleanPath(QFileInfo(folder).absoluteFilePath()))
    , m_root(QFile::encodeName(m_folder).toStdString())
{
}

bool ImageRoot::resolve(std::string_view written, Resolved* out, QString* reason) const
{
    if (written.empty()) {
        *reason = tr("the image path is empty");
        return false;
    }
    if (written.find('\0') != std::string_view::npos) {
        *reason = tr("the image path contains a NUL character");
        return false;
    }
    if (written.front() == '/') {
        // An absolute path is fine only if it names something inside the root already.
        std::string cleaned;
        cleanRelative(written.substr(1), &cleaned); // cannot climb above "/"
        const std::string_view root = m_root == "/" ? std::string_view() : std::string_view(m_root).substr(1);
        if (!root.empty()) {
            const bool inside = cleaned.size() > root.size() && cleaned.compare(0, root.size(), root) == 0
                                && cleaned[root.size()] == '/';
            if (!inside) {
                *reason = tr("the image path %1 is absolute and outside the image folder %2")
                              .arg(QString::fromUtf8(written.data(), static_cast<qsizetype>(written.size())), m_folder);
                return false;
            }
            cleaned.erase(0, root.size() + 1);
        }
        if (cleaned.empty()) {
            *reason = tr("the image path names the image folder itself");
            return false;
        }
        out->relative = std::move(cleaned);
    } else {
        if (!cleanRelative(written, &out->relative)) {
            *reason = tr("the image path %1 leaves the image folder %2")
                          .arg(QString::fromUtf8(written.data(), static_cast<qsizetype>(written.size())), m_folder);
            return false;
        }
        if (out->relative.empty()) {
            *reason = tr("the image path %1 names the image folder itself")
                          .arg(QString::fromUtf8(written.data(), static_cast<qsizetype>(written.size())));
            return false;
        }
    }
    out->absolute.assign(m_root);
    if (out->absolute.empty() || out->absolute.back() != '/')
        out->absolute.push_back('/');
    out->absolute.append(out->relative);
    return true;
}

std::string_view ImageRoot::prefixOf(std::string_view relative)
{
    const std::size_t slash = relative.find('/');
    if (slash == std::string_view::npos)
        return ".";
    return relative.substr(0, slash);
}

bool ImageRoot::isRegularFile(const std::string& absoluteUtf8)
{
    // A plain stat: this runs once per record, and QFileInfo would cost a QString and a cache each time.
    struct stat st;
    return ::stat(absoluteUtf8.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

} // namespace facet
