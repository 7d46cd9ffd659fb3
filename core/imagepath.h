#pragma once

#include <QCoreApplication>
#include <QString>

#include <string>
#include <string_view>

namespace facet {

/**
 * The folder that image paths from a data file are resolved against. Resolution is lexical:
 * `.` and `..` are folded without touching the disk, and a path that would end up outside the
 * root (`../../etc/passwd`, `/etc/passwd`) is refused. Symbolic links inside the root are followed
 * on purpose: linking `data/sam` to a big disk is how people lay these datasets out, and the links
 * are the user's own, not the data file's.
 *
 * Works on UTF-8 bytes so that the importer can resolve 1M paths without building QStrings.
 */
class ImageRoot final
{
    Q_DECLARE_TR_FUNCTIONS(facet::ImageRoot)

public:
    /** `folder` is made absolute and cleaned. */
    explicit ImageRoot(const QString& folder);

    const QString& folder() const { return m_folder; }

    struct Resolved
    {
        std::string absolute; ///< root + "/" + relative, UTF-8
        std::string relative; ///< cleaned path inside the root, never empty, no leading "/"
    };

    /**
     * Resolves `written` (as it appears in the record) inside the root. Returns false and sets
     * *reason when the path is empty, contains a NUL, or leaves the root. An absolute path is
     * accepted only when it already lies inside the root.
     */
    bool resolve(std::string_view written, Resolved* out, QString* reason) const;

    /** First component of a relative path ("sam" for "sam/images/sa_1.jpg"); "." for a bare file name. */
    static std::string_view prefixOf(std::string_view relative);

    /** True when `absoluteUtf8` names a regular file (following links). */
    static bool isRegularFile(const std::string& absoluteUtf8);

private:
    QString m_folder;
    std::string m_root; ///< UTF-8, absolute, cleaned, no trailing "/" (except for "/" itself)
};

} // namespace facet
