package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Libraries linked with -z max-page-size=0x200000 (with and without -z separate-code): ld.so
 * reserves the whole span and leaves PROT_NONE gaps, whose file offsets lie past the end of
 * the packed file. Healthy: no finding at all. cp-ed over: critical, and the crash follows.
 */
class AlignedLibraryTest {
    @ParameterizedTest
    @ValueSource(strings = {"libv_2m.so", "libv_2m_packed.so"})
    void twoMegabyteAlignedLibraryHealthyThenOverwritten(String name) throws Exception {
        Path dir = Files.createTempDirectory(Build.scratchOutsideTemp(), "aligned");
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog(name), lib);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            if (name.contains("packed")) {
                long size = Files.size(lib);
                boolean gapPastEof = Files.readAllLines(Path.of("/proc/" + v.pid() + "/maps")).stream()
                        .filter(l -> l.endsWith(lib.toString()) && l.contains(" ---p "))
                        .anyMatch(l -> {
                            String[] f = l.split("\\s+"), r = f[0].split("-");
                            long len = Long.parseUnsignedLong(r[1], 16) - Long.parseUnsignedLong(r[0], 16);
                            return Long.parseLong(f[2], 16) + len > size;
                        });
                assertTrue(gapPastEof, "the test needs a PROT_NONE gap mapped past the file's end");
            }
            Cli.Result r = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(List.of(), JsonDoc.list(JsonDoc.parse(r.out()), "findings"), "healthy: " + r.out());
            assertEquals(0, r.rc());

            Installer.afterTheServiceHasRun();
            Installer.cpSameBytesOver(lib);
            Cli.Result bad = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(2, bad.rc(), bad.out());
            boolean soname = false, pastEof = false;
            for (Map<String, Object> f : JsonDoc.list(JsonDoc.parse(bad.out()), "findings")) {
                soname |= "SONAME_UNMAPPED".equals(f.get("code"));
                pastEof |= "MAPPING_PAST_EOF".equals(f.get("code"));
            }
            assertTrue(soname, bad.out());
            assertTrue(!pastEof, "the gaps are not mappings past EOF: " + bad.out());
            v.signal("USR1");
            assertEquals(128 + 11, v.awaitExit(10_000), "the crash follows: " + v.lines());
        }
    }
}
