package io.lminspect.cli;

import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * --output FILE: the whole document is written to a temporary file beside FILE
 * and renamed over it, so a reader (node_exporter's textfile collector) never
 * sees half a file.
 */
final class AtomicOutput {
    private AtomicOutput() {}

    static PrintStream buffer(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }

    static void commit(ByteArrayOutputStream b, String file) {
        Path target = Path.of(file).toAbsolutePath();
        Path dir = target.getParent();
        try {
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                Files.write(tmp, b.toByteArray());
                // createTempFile makes it 0600: node_exporter (another user) must be able to read it
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
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
}
