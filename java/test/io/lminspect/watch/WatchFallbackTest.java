package io.lminspect.watch;

import io.lminspect.support.Await;
import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Env;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** inotify on the mapped files' directories, when fanotify is refused: on request (as root) and for real (as nobody). */
class WatchFallbackTest {
    static final long EVENT_MS = 20_000;
    static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    Path scratch;

    @BeforeEach
    void setUp() throws Exception {
        scratch = Build.scratchOutsideTemp().resolve("watch-fallback-" + ProcessHandle.current().pid());
        Files.createDirectories(scratch);
    }

    @AfterEach
    void tearDown() throws Exception {
        try (Stream<Path> s = Files.walk(scratch)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Path install(String dir) throws Exception {
        Path d = Files.createDirectories(scratch.resolve(dir));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path lib = d.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib);
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
        return lib;
    }

    @Test
    void inotifyCatchesTheSameChangesWhenFanotifyIsRefused() throws Exception {
        Path lib = install("cp");
        Path renamed = install("renamed");
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString());
             TestProcess r = TestProcess.start(Build.testprog("tp_victim").toString(), renamed.toString());
             WatchProcess w = WatchProcess.start(Map.of("LMINSPECT_WATCH_NO_FANOTIFY", "1"), List.of(), "--json")) {
            assertEquals("inotify", JsonDoc.parse(w.firstLine).get("mechanism"), w.firstLine);
            Files.writeString(lib.resolveSibling("unrelated.txt"), "x");
            Installer.cpOver(Build.testprog("libv.so"), lib);
            Map<String, Object> e = w.awaitChange(lib.toString(), EVENT_MS);
            assertNotNull(e, "stdout " + w.out() + " stderr " + w.err());
            assertEquals("written", e.get("change"));
            assertEquals("critical", e.get("severity"));
            assertEquals((long) v.pid(), JsonDoc.list(e, "processes").get(0).get("pid"));

            Installer.renameOver(Build.testprog("libv_big.so"), renamed);
            Map<String, Object> x = w.awaitChange(renamed.toString(), EVENT_MS);
            assertNotNull(x, "stdout " + w.out());
            assertEquals("replaced", x.get("change"));
            assertTrue(w.changes(lib.resolveSibling("unrelated.txt").toString()).isEmpty());

            v.signal("USR1");
            assertEquals(128 + 11, v.awaitExit(10_000), "the event was right: " + v.lines());
            long[] t = w.terminate();
            assertEquals(0, t[0]);
        }
    }

    @Test
    void anUnprivilegedWatchUsesInotifyAndSeesItsOwnProcesses() throws Exception {
        Env.assumeSecondUser();
        Path lib = install("nobody");
        // nobody must reach the launcher, the jar and the scratch directory
        assertEquals(0, Cli.exec(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "test", "-r", lib.toString()), 10).rc(),
                "nobody cannot read " + lib + ": the scratch directory's parents must be world-readable");
        List<String> cmd = new java.util.ArrayList<>(AS_NOBODY);
        cmd.addAll(List.of(Build.testprog("tp_victim").toString(), lib.toString()));
        try (TestProcess v = TestProcess.start(cmd.toArray(new String[0]));
             WatchProcess w = WatchProcess.start(Map.of(), AS_NOBODY, "--json")) {
            Map<String, Object> first = JsonDoc.parse(w.firstLine);
            assertEquals("inotify", first.get("mechanism"), w.firstLine + " " + w.err());
            // stderr is read by its own thread: the line may land just after stdout's first
            Await.until(5000, () -> w.err().stream().anyMatch(l -> l.contains("fanotify refused")));
            assertTrue(w.err().stream().anyMatch(l -> l.contains("fanotify refused")), "says why: " + w.err());
            Installer.cpOver(Build.testprog("libv.so"), lib); // an installer running as root
            Map<String, Object> e = w.awaitChange(lib.toString(), EVENT_MS);
            assertNotNull(e, "stdout " + w.out() + " stderr " + w.err());
            assertEquals("critical", e.get("severity"));
            assertEquals((long) v.pid(), JsonDoc.list(e, "processes").get(0).get("pid"));
            for (String l : w.err()) assertFalse(l.contains("Exception"), l);
        }
    }
}
