package io.lminspect.inferior;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** --sysroot resolves a core's paths as the process's root did: absolute links start again at the root, ".." stops there. */
class SysrootPathTest {
    @TempDir
    Path root;

    @Test
    void absoluteLinksStayInsideTheRoot() throws Exception {
        Path real = Files.createDirectories(root.resolve("lib/x86_64-linux-gnu")).resolve("ld-linux-x86-64.so.2");
        Files.writeString(real, "x");
        Files.createDirectories(root.resolve("lib64"));
        Files.createSymbolicLink(root.resolve("lib64/ld-linux-x86-64.so.2"), Path.of("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
        assertEquals(real, CoreMappedFiles.inRoot(root, "/lib64/ld-linux-x86-64.so.2"));
        Files.createSymbolicLink(root.resolve("escape"), Path.of("../../../../etc"));
        assertEquals(root.resolve("etc/passwd"), CoreMappedFiles.inRoot(root, "/escape/passwd"), "'..' stops at the root");
        Files.createSymbolicLink(root.resolve("loop"), Path.of("/loop"));
        assertNull(CoreMappedFiles.inRoot(root, "/loop/x"), "a link loop ends");
    }
}
