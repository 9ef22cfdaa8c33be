package io.lminspect.inferior;

/**
 * stat() of a path as the target's filesystem has it today.
 *
 * @param links       st_nlink: 0 when the inode was deleted; -1 when not known
 * @param bornMillis  the inode's birth time (statx), -1 where the filesystem keeps none or it was not asked
 */
public record FileFacts(String path, boolean exists, boolean regular, FileId id, long size,
                        long mtimeMillis, long ctimeMillis, long links, long bornMillis) {

    public FileFacts(String path, boolean exists, boolean regular, FileId id, long size, long mtimeMillis, long ctimeMillis) {
        this(path, exists, regular, id, size, mtimeMillis, ctimeMillis, -1, -1);
    }

    /** lstat of a path on this host (statx through the helper: link count and birth time too); empty when it cannot be seen. */
    public static java.util.Optional<FileFacts> of(java.nio.file.Path p) {
        return FileStats.one(p, p.toString(), false);
    }

    public static FileFacts missing(String path) {
        return new FileFacts(path, false, false, new FileId(0, 0), -1, 0, 0);
    }

    /** True when the path exists and is that file (a mapping's, say): the one test of "still the same inode". */
    public boolean sameInode(FileId file) {
        return exists && id.equals(file);
    }

    /** The inode has no name left anywhere (not just under the path we asked about). */
    public boolean unlinked() {
        return links == 0;
    }
}
