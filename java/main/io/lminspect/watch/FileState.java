package io.lminspect.watch;

import io.lminspect.report.model.Change;
/**
 * What a mapped file's path shows at one moment: the mapped inode itself (with its
 * size and times), another inode (replaced), nothing (deleted), or unknown (could
 * not be looked at).
 */
record FileState(Kind kind, long size, long mtimeNanos, long ctimeNanos) {
    /** MOVED: the path is gone but the inode kept another name (renamed away, not deleted). */
    enum Kind { SAME, REPLACED, GONE, MOVED, UNKNOWN }

    static final FileState UNKNOWN = new FileState(Kind.UNKNOWN, -1, 0, 0);
    static final FileState GONE = new FileState(Kind.GONE, -1, 0, 0);
    static final FileState REPLACED = new FileState(Kind.REPLACED, -1, 0, 0);
    static final FileState MOVED = new FileState(Kind.MOVED, -1, 0, 0);

    /**
     * The change from was to now, or null when nothing a process could suffer from
     * happened. modified: the kernel said the inode was written (fanotify FAN_MODIFY,
     * inotify IN_MODIFY), which counts even when size and mtime were put back
     * (`cp -p` restores the mtime; ctime alone also moves on chmod, so it does not count).
     */
    static Change change(FileState was, FileState now, boolean modified) {
        return switch (now.kind) {
            case GONE -> was.kind == Kind.GONE ? null : Change.DELETED;
            case REPLACED -> was.kind == Kind.SAME || was.kind == Kind.UNKNOWN ? Change.REPLACED : null;
            case UNKNOWN, MOVED -> null;
            case SAME -> {
                if (was.kind == Kind.SAME) {
                    if (now.size < was.size) yield Change.TRUNCATED;
                    if (modified || now.size != was.size || now.mtimeNanos != was.mtimeNanos) yield Change.WRITTEN;
                    yield null;
                }
                // the path names our inode again (renamed back), or we could not look before: only the kernel's word counts
                yield was.kind == Kind.UNKNOWN && modified ? Change.WRITTEN : null;
            }
        };
    }
}
