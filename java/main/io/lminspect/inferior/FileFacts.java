package io.lminspect.inferior;

/** stat() of a path as the target's filesystem has it today. */
public record FileFacts(String path, boolean exists, boolean regular, long dev, long inode, long size,
                        long mtimeMillis, long ctimeMillis) {

    public static FileFacts missing(String path) {
        return new FileFacts(path, false, false, 0, 0, -1, 0, 0);
    }

    public boolean sameInode(Mapping m) {
        return exists && inode == m.inode() && dev == m.dev();
    }
}
