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

    /** Whole lines only: a path that is a prefix of a listed one, or a listed line's tail, is not listed; the last line may lack its newline. */
    @Test
    void listsLineMatchesWholeLinesOnly() {
        byte[] list = "/.\n/usr/lib/libx.so.1\n/opt/a/usr/lib/liby.so\n/usr/lib/libz.so".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(Dpkg.listsLine(list, "/usr/lib/libx.so.1\n".getBytes()));
        assertTrue(Dpkg.listsLine(list, "/usr/lib/libz.so\n".getBytes()), "the last line, without its newline");
        assertTrue(Dpkg.listsLine(list, "/.\n".getBytes()), "the first line");
        assertFalse(Dpkg.listsLine(list, "/usr/lib/libx.so\n".getBytes()), "a prefix of a listed path");
        assertFalse(Dpkg.listsLine(list, "/usr/lib/liby.so\n".getBytes()), "the tail of a listed path");
        assertFalse(Dpkg.listsLine(new byte[0], "/x\n".getBytes()));
    }

    /** The lists most likely to own a library are read first: those named like its file before ".so". */
    @Test
    void stemsNameTheLikelyPackages() {
        assertEquals("libssl", Dpkg.stem("/usr/lib/x86_64-linux-gnu/libssl.so.3"));
        assertEquals("ld-linux-x86-64", Dpkg.stem("/lib64/ld-linux-x86-64.so.2"));
        assertEquals("libpython3.11", Dpkg.stem("/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0"));
        assertEquals(null, Dpkg.stem("/x/ab.so"), "too short to say");
    }

    /** expect() finds several paths' owners in one pass over the lists, each in its own package, and those nobody owns. */
    @Test
    void expectFindsEveryOwnerInOnePass(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        Path info = Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.writeString(info.resolve("liba1:amd64.list"), "/.\n/usr\n/usr/lib/x86_64-linux-gnu/liba.so.1\n");
        Files.writeString(info.resolve("libb2.list"), "/.\n/lib/x86_64-linux-gnu/libb.so.2"); // merged-/usr twin, no final newline
        Files.writeString(info.resolve("libb2.md5sums"), "/usr/lib/x86_64-linux-gnu/libc.so.6\n"); // not a list
        Dpkg db = Dpkg.at(root);
        List<String> asked = List.of("/usr/lib/x86_64-linux-gnu/liba.so.1", "/usr/lib/x86_64-linux-gnu/libb.so.2", "/usr/lib/x86_64-linux-gnu/libc.so.6");
        db.expect(asked);
        assertEquals("liba1", db.about(asked.get(0)).orElseThrow().name());
        assertEquals("libb2", db.about(asked.get(1)).orElseThrow().name());
        assertTrue(db.about(asked.get(2)).isEmpty(), "listed only in an md5sums file");
    }
}
