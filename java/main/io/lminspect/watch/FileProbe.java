package io.lminspect.watch;

import io.lminspect.inferior.Mappings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Looks at a mapped file's path as a process that maps it sees it (through
 * /proc/PID/root, so a container's /usr/lib is the container's): stat only, never
 * an open (rule 3). A process that exited meanwhile is skipped for the next user.
 */
final class FileProbe {
    private FileProbe() {}

    static FileState look(WatchIndex.View v) {
        if (!Mappings.exactPath(v.path())) return FileState.UNKNOWN; // a stat by an inexact name could judge another file
        for (Map.Entry<Integer, String> u : v.users().entrySet()) {
            int pid = u.getKey();
            Path root = Path.of("/proc", Integer.toString(pid), "root");
            Path p = Path.of(root + v.path());
            try {
                Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
                if ((Long) a.get("dev") != v.key().dev() || (Long) a.get("ino") != v.key().inode()) return FileState.REPLACED;
                return new FileState(FileState.Kind.SAME, (Long) a.get("size"), nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")));
            } catch (NoSuchFileException e) {
                if (!Files.isDirectory(root)) continue; // the process is gone: ask the next one
                return renamedAway(pid, u.getValue()) ? FileState.MOVED : FileState.GONE;
            } catch (IOException | RuntimeException e) {
                // not ours to look through (another user's root), or gone mid-stat: the next user may do
            }
        }
        return FileState.UNKNOWN;
    }

    /**
     * The path is gone but the inode still has a name: `mv lib lib.old` (maps then shows
     * the new name). Told by the mapped inode's link count, through map_files (root only;
     * without it a rename away looks like a delete).
     */
    private static boolean renamedAway(int pid, String mapFilesName) {
        try {
            Object n = Files.getAttribute(Path.of("/proc", Integer.toString(pid), "map_files", mapFilesName), "unix:nlink");
            return n instanceof Integer i && i > 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long nanos(Object t) {
        return t instanceof FileTime ft ? ft.to(TimeUnit.NANOSECONDS) : 0;
    }
}
