package io.lminspect.inferior;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Package ownership from dpkg's own lists: the host's libc (under either merged-/usr name), and paths nobody owns. */
class PackageOwnersTest {
    @Test
    void mergedUsrAliases() {
        assertEquals(List.of("/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6"),
                PackageOwners.aliases("/lib/x86_64-linux-gnu/libc.so.6"));
        assertEquals(List.of("/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6"),
                PackageOwners.aliases("/usr/lib/x86_64-linux-gnu/libc.so.6"));
        assertEquals(List.of("/opt/app/lib/libx.so"), PackageOwners.aliases("/opt/app/lib/libx.so"));
    }

    @Test
    void hostLibcIsOwnedUnderBothNamesAndScratchIsNot() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/var/lib/dpkg/info")), "SKIPPED: no dpkg database on this host");
        assertTrue(PackageOwners.owned(Path.of("/"), "/lib/x86_64-linux-gnu/libc.so.6"));
        assertTrue(PackageOwners.owned(Path.of("/"), "/usr/lib/x86_64-linux-gnu/libc.so.6"));
        assertFalse(PackageOwners.owned(Path.of("/"), "/var/lib/lminspect-test/libnobody.so"));
        assertFalse(PackageOwners.owned(Path.of("/nonexistent-root"), "/lib/x86_64-linux-gnu/libc.so.6"), "no dpkg: owned by nobody");
    }

    /**
     * Every process that sees the host's root asks one database: an answer found through one process's
     * /proc/PID/root serves the next, and stays right after that process is gone.
     */
    @Test
    void processesOfOneRootShareTheirAnswers() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/var/lib/dpkg/info")), "SKIPPED: no dpkg database on this host");
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            Path root = Path.of("/proc", Long.toString(p.pid()), "root");
            var first = Dpkg.at(root).about("/lib/x86_64-linux-gnu/libc.so.6");
            assertTrue(first.isPresent(), "libc is owned, asked through a process's root");
            assertEquals("libc6", first.get().name());
            assertTrue(first.get().version() != null && !first.get().version().isEmpty(), first.toString());
        } finally {
            p.destroyForcibly().waitFor();
        }
        // that root is gone; the same question through another path to the same root still has its answer
        assertEquals("libc6", Dpkg.at(Path.of("/")).about("/usr/lib/x86_64-linux-gnu/libc.so.6").orElseThrow().name());
        assertTrue(Dpkg.at(Path.of("/")).about("/lib/x86_64-linux-gnu/libc.so.6").isPresent());
    }
}
