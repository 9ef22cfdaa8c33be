package io.lminspect.inferior;

/** stat() of a path as the target's filesystem has it today. */
public record FileFacts(String path, boolean exists, boolean regular, FileId id, long size,
                        long mtimeMillis, long ctimeMillis) {

    public static FileFacts missing(String path) {
        return new FileFacts(path, false, false, new FileId(0, 0), -1, 0, 0);
    }

    /** True when the path exists and is that file (a mapping's, say): the one test of "still the same inode". */
    public boolean sameInode(FileId file) {
        return exists && id.equals(file);
    }
}
