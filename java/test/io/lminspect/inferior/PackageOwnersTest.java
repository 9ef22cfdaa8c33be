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
}
