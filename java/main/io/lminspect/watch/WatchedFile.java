package io.lminspect.watch;

import io.lminspect.inferior.FileId;

/**
 * Per-file state of the watch (never per page): how fanotify and inotify name the file,
 * and what its path showed when last looked at; who maps it is the host index's.
 * Guarded by the index's lock.
 */
final class WatchedFile {
    final FileId key;
    /** The path its users name it by, as the name index files it. */
    String path;
    Fid fid;
    Fid dirFid;
    /** Covered by a live source (fanotify or inotify); else only the rescan's sweep sees changes. */
    boolean live;
    /** The inotify directory watch ("dev:dir") covering it, when fanotify does not. */
    String inotifyDir;
    FileState baseline = FileState.UNKNOWN;

    WatchedFile(FileId key, String path) {
        this.key = key;
        this.path = path;
    }

    String dir() {
        return dirOf(path);
    }

    static String dirOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
