package io.lminspect.watch;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-file state of the index (never per page): who maps the file, the path they
 * name it by, how fanotify names it, and what its path showed when last looked at.
 * Guarded by the index's lock.
 */
final class WatchedFile {
    final FileKey key;
    String path;
    /** Mapped executable by some process: a library or program, where a write alone is news. */
    boolean code;
    /** pid -> one of its mappings of the file (for /proc/PID/map_files). */
    final Map<Integer, String> users = new HashMap<>();
    Fid fid;
    Fid dirFid;
    /** Covered by a live source (fanotify or inotify); else only the rescan's sweep sees changes. */
    boolean live;
    /** The inotify directory watch ("dev:dir") covering it, when fanotify does not. */
    String inotifyDir;
    FileState baseline = FileState.UNKNOWN;

    WatchedFile(FileKey key, String path) {
        this.key = key;
        this.path = path;
    }

    String dir() {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
