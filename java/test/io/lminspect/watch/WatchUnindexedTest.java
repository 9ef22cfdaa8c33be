package io.lminspect.watch;

import io.lminspect.support.Build;
import io.lminspect.support.Env;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A library loaded after the watch's last rescan (a JVM extracts and loads a JNI library any
 * time) is guarded at once: the first write to it is resolved by a quick rescan, not missed
 * until the next periodic one (60 s here).
 */
class WatchUnindexedTest {

    @Test
    void aLibraryMappedSinceTheLastRescanIsGuardedFromTheFirstWrite() throws Exception {
        Env.assumeRoot("fanotify filesystem marks (CAP_SYS_ADMIN)");
        Path dir = Files.createDirectories(Build.scratchOutsideTemp().resolve("unindexed-" + ProcessHandle.current().pid()));
        Path lib = dir.resolve("libsqlitejdbc.so");
        try (WatchProcess watch = WatchProcess.start("--json", "--interval", "60s")) {
            Map<String, Object> first = JsonDoc.parse(watch.firstLine);
            org.junit.jupiter.api.Assumptions.assumeTrue("fanotify".equals(first.get("mechanism")),
                    "SKIPPED: fanotify is refused here (" + watch.err() + "): inotify watches only the directories of indexed files");
            // after the watch's first (and, for a minute, last) index: a new directory, a new library, a new user
            Files.copy(Build.testprog("libv.so"), lib);
            try (TestProcess late = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
                Installer.afterTheServiceHasRun();
                // a second extractor writes the same fixed name (from this JVM, as a JNI loader does: a writer that
                // outlives the write, so the event can name it; a `cp` may exit before the watch looks it up)
                Files.write(lib, Files.readAllBytes(lib));
                Map<String, Object> e = watch.awaitChange(lib.toString(), 20_000);
                assertNotNull(e, "an event for the library mapped after the last rescan: " + watch.out() + " " + watch.err());
                assertEquals("critical", e.get("severity"), e.toString());
                assertEquals(List.of((long) late.pid()), JsonDoc.list(e, "processes").stream().map(p -> p.get("pid")).toList());
                assertTrue(e.get("writer") instanceof Map<?, ?> w && Long.valueOf(ProcessHandle.current().pid()).equals(w.get("pid")),
                        "the writer is named: " + e);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
