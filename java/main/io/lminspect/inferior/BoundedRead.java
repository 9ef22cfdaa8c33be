package io.lminspect.inferior;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** At most a given number of bytes of a small file, and whether there was more. */
public record BoundedRead(byte[] bytes, boolean truncated) {
    private static final Path PROC = Path.of("/proc");

    /** What was read, cut to limit bytes (then truncated). */
    public static BoundedRead cut(byte[] read, int limit) {
        boolean more = read.length > limit;
        return new BoundedRead(more ? Arrays.copyOf(read, limit) : read, more);
    }

    /** Empty when the file cannot be read (the process is gone, or not ours) or is not a regular file. */
    public static Optional<BoundedRead> of(Path file, int limit) {
        // /proc/PID/NAME of the real /proc is never a FIFO: the stat that guards a fake root (tests, a copied tree) is a
        // syscall per read saved. Deeper paths (/proc/PID/root/…, /proc/PID/fd/N) lead into a target's files: still checked.
        boolean realProc = file.startsWith(PROC) && file.getNameCount() == 3;
        // /proc files are regular; anything else (a FIFO planted in a fake root) could block the read
        if (!realProc && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try (InputStream in = Files.newInputStream(file)) {
            // through the thread's read buffer (ProcFs.readAll): a scan reads a cgroup file per process
            return Optional.of(cut(ProcFs.readAll(in, limit + 1), limit));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
