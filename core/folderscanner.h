#pragma once

#include <QString>

#include <functional>

namespace facet {

/** One image found in a folder, with the sidecars that share its key. */
struct FolderSample
{
    QString key;      ///< relative path up to the first dot of the file name ("00000/000000001")
    QString image;    ///< relative path of the image ("00000/000000001.jpg")
    QString txtPath;  ///< absolute path of key.txt, empty if there is none
    QString jsonPath; ///< absolute path of key.json, empty if there is none
};

/**
 * Walks a folder of images with .txt/.json sidecars (img2dataset's `files` output, or any folder of
 * captioned images) and finds the .tar shards in it (img2dataset's `webdataset` output). Files are
 * grouped by WebDataset key (the name up to the first dot), so "a.jpg" + "a.txt" + "a.json" is one
 * sample. Sidecars without an image are not samples (img2dataset writes NNNNN_stats.json and
 * parquet files next to the shards). Hidden files are skipped and symbolic links to folders are not
 * followed, so a link cycle cannot make the walk endless. Order is deterministic: sorted by name,
 * files before subfolders.
 */
class FolderScanner final
{
public:
    explicit FolderScanner(const QString& root);

    /** Calls onSample for each image and onShard for each .tar file. Exceptions from them propagate. */
    void scan(const std::function<void(const FolderSample&)>& onSample,
              const std::function<void(const QString& tarPath)>& onShard) const;

    /** True if the folder holds .tar files directly (an img2dataset webdataset output folder). */
    static bool hasShards(const QString& folder);

private:
    void scanDir(const QString& dir, const QString& relative, const std::function<void(const FolderSample&)>& onSample,
                 const std::function<void(const QString&)>& onShard) const;

    QString m_root;
};

} // namespace facet
