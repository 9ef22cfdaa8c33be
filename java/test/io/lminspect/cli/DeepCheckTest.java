package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deep memory comparisons run where they can find something: objects whose mapped
 * inode changed after the process started (or that already look wrong); every object
 * with --thorough. What they find must not change.
 */
class DeepCheckTest {
    @TempDir
    Path tmp;

    /** name → deep_checked, for file-backed entries. */
    static Map<String, Boolean> deep(Map<String, Object> doc) {
        Map<String, Boolean> out = new HashMap<>();
        for (Map<String, Object> e : JsonDoc.list(doc, "entries"))
            if (e.get("path") != null) out.put((String) e.get("name"), (Boolean) e.get("deep_checked"));
        return out;
    }

    static Set<String> codes(Map<String, Object> doc, String severity) {
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> f : JsonDoc.list(doc, "findings")) if (severity.equals(f.get("severity"))) out.add((String) f.get("code"));
        return out;
    }

    @Test
    void untouchedFilesAreNotDeepCheckedACopiedOverOneIsAndIsStillFound() throws Exception {
        Path dir = Files.createDirectories(Build.scratchOutsideTemp().resolve("deep-" + ProcessHandle.current().pid()));
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // written well before the process starts, like every installed library
        Files.setLastModifiedTime(lib, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Thread.sleep(2100); // ctime cannot be set back: let the slack pass before the process starts
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            Map<String, Object> ok = JsonDoc.parse(Cli.run("attach", "--json", Integer.toString(v.pid())).out());
            assertFalse(deep(ok).containsValue(true), "nothing changed since the start: no deep check: " + deep(ok));

            Map<String, Object> thorough = JsonDoc.parse(Cli.run("attach", "--json", "--thorough", Integer.toString(v.pid())).out());
            assertFalse(deep(thorough).containsValue(false), "--thorough checks every object: " + deep(thorough));
            assertEquals(Set.of(), codes(thorough, "critical"));

            // a change within 50 ms of the start cannot be told from the start itself (FileHistory's slack):
            // the service has been up a while before the installer runs
            Thread.sleep(200);
            Installer.cpSameBytesOver(lib);
            Cli.Result r = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(2, r.rc(), r.out());
            Map<String, Object> bad = JsonDoc.parse(r.out());
            assertEquals(Boolean.TRUE, deep(bad).get(lib.toString()), "the rewritten library is deep-checked");
            assertEquals(Boolean.FALSE, deep(bad).get("/lib/x86_64-linux-gnu/libc.so.6"), "libc is not");
            assertTrue(codes(bad, "critical").containsAll(Set.of("SONAME_UNMAPPED", "DYNAMIC_UNRELOCATED", "RELOCATIONS_REVERTED",
                    "FILE_REWRITTEN_IN_PLACE")), codes(bad, "critical") + " " + JsonDoc.list(bad, "findings") + " target "
                    + JsonDoc.obj(bad, "target") + " file " + Files.readAttributes(lib, "unix:ino,dev,lastModifiedTime,ctime")
                    + " now " + java.time.Instant.now());
            Map<String, Object> all = JsonDoc.parse(Cli.run("attach", "--json", "--thorough", Integer.toString(v.pid())).out());
            assertEquals(codes(all, "critical"), codes(bad, "critical"), "default and --thorough find the same");
        } finally {
            Files.deleteIfExists(lib);
        }
    }

    /**
     * touch moves ctime exactly as a truncate does, and stat cannot tell them apart: the
     * touched library is deep-checked (sound), finds nothing, and is reported as written
     * after the start at info level.
     */
    @Test
    void touchedLibraryIsCheckedAndOnlyInfo() throws Exception {
        Path lib = Installer.scratchCopy("libv.so", "touch-");
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            Installer.afterTheServiceHasRun();
            Files.setLastModifiedTime(lib, FileTime.fromMillis(System.currentTimeMillis()));
            Cli.Result r = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(0, r.rc(), r.out());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            assertEquals(Boolean.TRUE, deep(doc).get(lib.toString()));
            assertEquals(Set.of("FILE_REWRITTEN_IN_PLACE"), codes(doc, "info"));
            assertEquals(Set.of(), codes(doc, "critical"));
        } finally {
            Files.deleteIfExists(lib);
        }
    }

    /**
     * A worker forked after the library was overwritten inherits the damage: its own start
     * is after the file's change, so the gate must judge by the parent it was forked from.
     * The library has no DT_SONAME, so no cheap check points at it.
     */
    @Test
    void workerForkedAfterTheRewriteIsStillDeepChecked() throws Exception {
        Path lib = Installer.scratchCopy("libnos.so", "nos-");
        try (TestProcess master = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            Installer.afterTheServiceHasRun();
            Installer.cpSameBytesOver(lib);
            Thread.sleep(CHANGE_SLACK_MS + 500); // the worker starts well after the file changed
            master.signal("HUP");
            String line = master.awaitLine("worker ", 5000);
            assertTrue(line != null, "the master forked a worker: " + master.lines());
            int worker = Integer.parseInt(line.substring("worker ".length()).trim());
            try {
                Map<String, Object> doc = JsonDoc.parse(Cli.run("attach", "--json", Integer.toString(worker)).out());
                assertEquals(Boolean.TRUE, deep(doc).get(lib.toString()), "judged by the master's start: " + deep(doc));
                assertTrue(codes(doc, "critical").containsAll(Set.of("DYNAMIC_UNRELOCATED", "RELOCATIONS_REVERTED")),
                        codes(doc, "critical").toString());
            } finally {
                ProcessHandle.of(worker).ifPresent(ProcessHandle::destroyForcibly);
            }
        } finally {
            Files.deleteIfExists(lib);
        }
    }

    static final long CHANGE_SLACK_MS = 2000;
}
