package io.lminspect.preflight;

import io.lminspect.elf.FileByteSource;
import io.lminspect.inferior.FileId;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/**
 * Paths as the target process sees them, under /proc/PID/root. Symbolic links
 * are followed by hand inside that root: the kernel would resolve an absolute
 * link target against our root, not the target's (a container's
 * /usr/lib/libfoo.so.1 -> /opt/foo/libfoo.so.1.2 must stay in the container).
 */
public final class TargetFiles {
    static final int MAX_LINKS = 40;
    static final int MAX_COMPONENTS = 256;
    private static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000, S_IFLNK = 0120000;

    private final Path root;

    public TargetFiles(Path root) {
        this.root = root;
    }

    /** A file found in the target's view: the canonical path there, and its identity. */
    public record Found(String path, FileId id, long size) {}

    /**
     * Resolves an absolute path the way open(2) in the target would (links
     * followed inside the root); empty when it does not exist or is not a
     * regular file.
     */
    public Optional<Found> regularFile(String path) {
        String canon = canonical(path);
        if (canon == null) return Optional.empty();
        Map<String, Object> a = attrs(canon);
        if (a == null || ((Integer) a.get("mode") & S_IFMT) != S_IFREG) return Optional.empty();
        return Optional.of(new Found(canon, FileId.of(a), (Long) a.get("size")));
    }

    /** True when the path names a directory (followed inside the root). */
    public boolean isDirectory(String path) {
        String canon = canonical(path);
        Map<String, Object> a = canon == null ? null : attrs(canon);
        return a != null && ((Integer) a.get("mode") & S_IFMT) == S_IFDIR;
    }

    /**
     * Opens a file that regularFile() found, refusing anything but that same
     * regular inode at open time (a swap to a FIFO, a device or another file in
     * between is refused, never waited on: see SafeFiles).
     */
    public Optional<FileByteSource> open(Found f) {
        FileChannel ch = io.lminspect.inferior.SafeFiles.openRegular(hostPath(f.path()), f.id().dev(), f.id().inode(), false);
        return ch == null ? Optional.empty() : Optional.of(new FileByteSource(ch, f.path()));
    }

    /** Reads a small regular file whole (ld.so.cache), at most max bytes. */
    public Optional<byte[]> readSmall(String path, long max) {
        Optional<Found> f = regularFile(path);
        if (f.isEmpty() || f.get().size() > max) return Optional.empty();
        try (FileByteSource s = open(f.get()).orElse(null)) {
            if (s == null) return Optional.empty();
            return Optional.of(s.readFully(0, (int) s.size(), path));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    Path hostPath(String targetPath) {
        String rel = targetPath.startsWith("/") ? targetPath.substring(1) : targetPath;
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    private Map<String, Object> attrs(String canon) {
        try {
            return Files.readAttributes(hostPath(canon), "unix:ino,dev,mode,size", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The path with every link expanded inside the root, "." and ".." folded; null when a component is missing or links loop. */
    String canonical(String path) {
        if (path == null || !path.startsWith("/")) return null;
        Deque<String> todo = new ArrayDeque<>();
        pushComponents(todo, path);
        Deque<String> done = new ArrayDeque<>();
        int links = 0, steps = 0;
        while (!todo.isEmpty()) {
            if (++steps > MAX_COMPONENTS * 4) return null;
            String c = todo.pop();
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (!done.isEmpty()) done.removeLast();
                continue;
            }
            done.addLast(c);
            String sofar = "/" + String.join("/", done);
            Map<String, Object> a = attrs(sofar);
            if (a == null) return null;
            if (((Integer) a.get("mode") & S_IFMT) != S_IFLNK) continue;
            if (++links > MAX_LINKS) return null;
            String target;
            try {
                target = Files.readSymbolicLink(hostPath(sofar)).toString();
            } catch (IOException | RuntimeException e) {
                return null;
            }
            done.removeLast();
            if (target.startsWith("/")) done.clear();
            pushComponents(todo, target);
        }
        return "/" + String.join("/", done);
    }

    private static void pushComponents(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) todo.push(parts[i]);
    }
}
