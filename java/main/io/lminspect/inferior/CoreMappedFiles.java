package io.lminspect.inferior;

import io.lminspect.elf.ByteSource;
import io.lminspect.elf.FileByteSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The files a core names in NT_FILE, as they are on disk today: under --sysroot
 * when given, the executable at --exe when given. Only regular files are opened
 * (a path that names a FIFO would block us; a device would be read forever),
 * deleted files never (the path names something else now), and a sysroot path
 * must stay inside the sysroot after symlinks. Channels for page reads are
 * opened once and kept.
 */
final class CoreMappedFiles implements AutoCloseable {
    private final Path sysroot;
    private final String exePath;
    private final Path exeOverride;
    private final Map<String, Optional<FileChannel>> channels = new HashMap<>();
    /** Why a path could not be used, for the report's notes (first few only). */
    final Map<String, String> refused = new LinkedHashMap<>();
    long reads;

    CoreMappedFiles(Path sysroot, String exePath, Path exeOverride) {
        this.sysroot = sysroot;
        this.exePath = exePath;
        this.exeOverride = exeOverride;
    }

    /** Where the file the core names lives today, or null when it must not be opened. */
    Path resolve(String path, boolean deleted) {
        if (exeOverride != null && path.equals(exePath)) return exeOverride;
        if (deleted) return refuse(path, "it was deleted before the core was written");
        if (!path.startsWith("/")) return refuse(path, "not an absolute path");
        if (sysroot == null) return Path.of(path);
        Path p = inRoot(sysroot, path);
        if (p == null) return refuse(path, "its symlinks do not resolve inside --sysroot");
        return p;
    }

    static final int MAX_LINKS = 40;

    /**
     * path resolved as a process whose root is root would resolve it: an absolute symlink
     * (Debian's /lib64/ld-linux-x86-64.so.2 -> /lib/…) starts again at root, ".." stops at root.
     * Null after too many links or on an unreadable component.
     */
    static Path inRoot(Path root, String path) {
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
        for (String c : path.split("/")) if (!c.isEmpty()) todo.addLast(c);
        Path at = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals(".")) continue;
            if (c.equals("..")) {
                if (!at.equals(root)) at = at.getParent();
                continue;
            }
            Path next = at.resolve(c);
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) return null;
                String target;
                try {
                    target = Files.readSymbolicLink(next).toString();
                } catch (IOException e) {
                    return null;
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) if (!parts[i].isEmpty()) todo.addFirst(parts[i]);
                if (target.startsWith("/")) at = root;
                continue;
            }
            at = next;
        }
        return at;
    }

    private Path refuse(String path, String why) {
        if (refused.size() < 16) refused.putIfAbsent(path, why);
        return null;
    }

    /** Checks the path names a regular file (inside the sysroot, after symlinks) before anything opens it. */
    private boolean vetted(String path, Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                refuse(path, "not a regular file");
                return false;
            }
            if (sysroot != null && !p.toRealPath().startsWith(sysroot.toRealPath())) {
                refuse(path, "a symlink leads outside --sysroot"); // resolve() keeps links inside: a race or a bind mount
                return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            refuse(path, e instanceof java.nio.file.NoSuchFileException ? "no such file" : "cannot be read");
            return false;
        }
    }

    /**
     * Opens a file a core names: a regular file at open time (never blocking on a
     * FIFO swapped in), and an ELF file: without --sysroot these are the host's own
     * paths, and a core must not be able to serve, say, /etc/shadow as "memory".
     */
    private FileChannel openElf(String path, Path p) {
        FileChannel ch = SafeFiles.openRegular(p, -1, -1, true);
        if (ch == null) {
            refuse(path, "cannot be opened as a regular file");
            return null;
        }
        if (!SafeFiles.isElf(ch)) {
            refuse(path, "not an ELF file");
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only
            }
            return null;
        }
        return ch;
    }

    /** A fresh source the caller closes (ElfCache and the checks own what they open). */
    Optional<ByteSource> open(String path, boolean deleted) {
        Path p = resolve(path, deleted);
        if (p == null || !vetted(path, p)) return Optional.empty();
        FileChannel ch = openElf(path, p);
        return ch == null ? Optional.empty() : Optional.of(new FileByteSource(ch, path));
    }

    /**
     * Build-ids of the files as the core's dumped ELF header pages have them, by path: a file
     * on disk with another build-id is not the one the process mapped, and its bytes are not
     * used as memory (what they would show is not evidence). Set once by CoreFile.
     */
    private Map<String, String> coreBuildIds = Map.of();

    void coreBuildIds(Map<String, String> ids) {
        coreBuildIds = Map.copyOf(ids);
    }

    /** Whether memory the core did not dump can be read from f's file. */
    boolean usable(FileRange f) {
        return channel(f).isPresent();
    }

    private Optional<FileChannel> channel(FileRange f) {
        return channels.computeIfAbsent(f.path() + (f.deleted() ? "\0deleted" : ""), k -> {
            Path p = resolve(f.path(), f.deleted());
            if (p == null || !vetted(f.path(), p)) return Optional.empty();
            FileChannel ch = openElf(f.path(), p);
            if (ch == null) return Optional.empty();
            String want = coreBuildIds.get(f.path());
            String have = want == null ? null : buildIdOf(ch);
            if (want != null && have != null && !want.equals(have)) {
                refuse(f.path(), "another build: build-id " + have + " on disk, " + want + " in the core");
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // read-only
                }
                return Optional.empty();
            }
            return Optional.of(ch);
        });
    }

    private static String buildIdOf(FileChannel ch) {
        try {
            return io.lminspect.elf.ElfNotes.buildId(io.lminspect.elf.ElfFile.parse(new FileByteSource(ch, "file")));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Reads file bytes for memory the core did not dump; returns the count read (0 when none). */
    int read(FileRange f, long fileOffset, byte[] dst, int off, int len) {
        Optional<FileChannel> ch = channel(f);
        if (ch.isEmpty() || fileOffset < 0) return 0;
        try {
            reads++;
            return Math.max(0, ch.get().read(ByteBuffer.wrap(dst, off, len), fileOffset));
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        for (Optional<FileChannel> c : channels.values()) {
            if (c.isEmpty()) continue;
            try {
                c.get().close();
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
        channels.clear();
    }
}
