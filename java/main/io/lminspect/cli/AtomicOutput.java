package io.lminspect.cli;

import io.lminspect.inferior.NativeHelper;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * --output FILE and watch --textfile: the whole document is written to a temporary file
 * beside FILE and renamed over it, so a reader (node_exporter's textfile collector) never sees
 * half a file. Written only through what we created (rule 8): the temporary file is made with
 * O_CREAT|O_EXCL|O_NOFOLLOW and its mode set with fchmod through that descriptor, never again
 * by name; a directory others may write without the sticky bit is refused, because there any
 * user could swap our temporary name for a link before the rename.
 */
public final class AtomicOutput {
    static final int MODE = 0644;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicOutput() {}

    static PrintStream buffer(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }

    static void commit(ByteArrayOutputStream b, String file) {
        write(b.toByteArray(), file);
    }

    /** Writes bytes to file atomically; InspectException (exit 3) with one line when it cannot. */
    public static void write(byte[] bytes, String file) {
        Path target = Path.of(file).toAbsolutePath();
        Path dir = target.getParent();
        try {
            if (Files.isDirectory(target)) throw new InspectException(Failure.IS_A_DIRECTORY, file);
            refuseUnsafeDirectory(dir);
            Path tmp = dir.resolve("." + target.getFileName() + "." + HexFormat.of().formatHex(randomBytes()) + ".tmp");
            try {
                try (FileChannel ch = createExclusive(tmp)) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) ch.write(buf);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new InspectException(Failure.IO_ERROR, "write " + file, e.getClass().getSimpleName().replace("Exception", "")
                    .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase() + ", " + e.getMessage()).because(e);
        }
    }

    /** Whether file can be written the way write() will: its directory exists and is safe, it is not a directory. */
    public static void checkTarget(String file) {
        Path target = Path.of(file).toAbsolutePath();
        if (Files.isDirectory(target)) throw new InspectException(Failure.IS_A_DIRECTORY, file);
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) throw new InspectException(Failure.NOT_A_DIRECTORY, dir.toString());
        try {
            refuseUnsafeDirectory(dir);
        } catch (IOException e) {
            throw new InspectException(Failure.IO_ERROR, "write " + file, e.getMessage()).because(e);
        }
    }

    private static byte[] randomBytes() {
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        return r;
    }

    /**
     * A directory others may write (o+w) without the sticky bit lets them rename or replace our
     * temporary file between its write and its rename: refused, with why. /tmp (sticky) is fine.
     */
    static void refuseUnsafeDirectory(Path dir) throws IOException {
        int mode = (Integer) Files.getAttribute(dir, "unix:mode");
        boolean othersWrite = (mode & 0002) != 0, sticky = (mode & 01000) != 0;
        if (othersWrite && !sticky)
            throw new InspectException(Failure.UNSAFE_OUTPUT_DIRECTORY, dir.toString());
    }

    /** The new file, created with O_EXCL|O_NOFOLLOW and its mode set through its own descriptor. */
    private static FileChannel createExclusive(Path tmp) throws IOException {
        NativeHelper h = NativeHelper.Holder.get();
        if (h != null) {
            int fd = h.lmh_create_excl(tmp.toString(), MODE);
            if (fd < 0) throw new IOException("cannot create " + tmp + " (errno " + -fd + ")");
            try {
                // /proc/self/fd/N reopens the inode the descriptor holds, whatever the name now says
                return FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.WRITE);
            } finally {
                h.lmh_close(fd);
            }
        }
        // without the helper: the mode is given to open(2) itself (the umask may narrow it), no chmod by name
        return FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    }
}
