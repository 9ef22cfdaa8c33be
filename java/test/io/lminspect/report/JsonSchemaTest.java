package io.lminspect.report;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.CoreDumps;
import io.lminspect.support.Env;
import io.lminspect.support.Installer;
import io.lminspect.support.Schemas;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/schema/ against real outputs: every command run in-process on real test processes
 * (healthy ones, and a library overwritten in place so that findings, groups and restart
 * have content), its JSON validated by a JSON Schema 2020-12 validator.
 */
class JsonSchemaTest {
    @TempDir
    Path dir;

    private static String json(int expectedRc, String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(expectedRc, r.rc(), () -> String.join(" ", args) + "\n" + r.out() + r.err());
        return r.out();
    }

    private static TestProcess healthy() throws Exception {
        return TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString());
    }

    @Test
    void attach() throws Exception {
        try (TestProcess ok = healthy(); TestProcess bad = Installer.victimWithLibraryOverwritten(dir)) {
            Schemas.assertValid("attach.json", json(0, "attach", "--json", Integer.toString(ok.pid())));
            String out = json(2, "attach", "--json", Integer.toString(bad.pid()));
            assertTrue(out.contains("SONAME_UNMAPPED"), out);
            Schemas.assertValid("attach.json", out);
            Schemas.assertValid("attach.json", json(2, "attach", "--json", "--regs", Integer.toString(bad.pid())));
        }
    }

    @Test
    void check() throws Exception {
        try (TestProcess ok = healthy(); TestProcess bad = Installer.victimWithLibraryOverwritten(dir)) {
            String out = json(2, "check", "--format", "json", Integer.toString(ok.pid()), Integer.toString(bad.pid()), "2147483646");
            assertTrue(out.contains("\"restart\" : [ {"), "restart has content: " + out);
            Schemas.assertValid("check.json", out);
        }
    }

    @Test
    void core() throws Exception {
        Env.assumeGcore();
        try (TestProcess bad = Installer.victimWithLibraryOverwritten(dir)) {
            Path core = CoreDumps.gcore(bad.pid(), dir);
            Cli.Result r = Cli.run("core", "--json", core.toString());
            assertTrue(r.rc() == 1 || r.rc() == 2, r.out() + r.err());
            Schemas.assertValid("core.json", r.out());
        }
    }

    @Test
    void preflight() throws Exception {
        try (TestProcess ok = healthy()) {
            String pid = Integer.toString(ok.pid());
            Schemas.assertValid("preflight.json", json(0, "preflight", "--json", pid, "libm.so.6"));
            String two = json(2, "preflight", "--json", pid, "libm.so.6", Build.testprog("libpf_needs_absent.so").toString());
            assertTrue(two.contains("NEEDED_NOT_FOUND"), two);
            Schemas.assertValid("preflight.json", two);
        }
    }

    @Test
    void decode() {
        String line = "tp_nullcall[4242]: segfault at 100 ip 000055d0c2a1b4c6 sp 00007ffd3b2c9f10 error 4 in tp_nullcall[55d0c2a1b000+1000]";
        Schemas.assertValid("decode.json", json(0, "decode", "--json", "--binary", Build.testprog("tp_nullcall").toString(), line));
    }

    @Test
    void layout() throws Exception {
        try (TestProcess p = TestProcess.start(Build.testprog("tp_brk").toString(), "384")) {
            String out = json(1, "layout", "--json", Integer.toString(p.pid()));
            assertTrue(out.contains("BRK_HEADROOM_LOW"), out);
            Schemas.assertValid("layout.json", out);
        }
    }

    @Test
    void whoMaps() throws Exception {
        try (TestProcess ok = healthy()) {
            Schemas.assertValid("who-maps.json", json(1, "who-maps", "--json", Build.testprog("libv.so").toString()));
        }
    }

    /** watch's events, as docs/commands.md gives them (the command's own test validates its real output). */
    @Test
    void watchEvents() {
        Schemas.assertValid("watch-event.json", "{\"event\": \"watching\", \"processes\": 12, \"files\": 340, \"mechanism\": \"fanotify\"}");
        Schemas.assertValid("watch-event.json", """
                {"event": "change", "time": "2026-12-01T20:56:13.442Z", "change": "written", "file": "/opt/demo/lib/libzk.so.2",
                 "dev": "fe:00", "inode": 1474600, "severity": "critical", "codes": ["SONAME_UNMAPPED", "FILE_REWRITTEN_IN_PLACE"],
                 "processes": [{"pid": 3194, "exe": "/usr/sbin/php-fpm", "service": {"name": "php8.2-fpm.service", "kind": "systemd",
                 "container_id": null, "runtime": null}}], "latency_ms": 12.5,
                 "writer": {"pid": 4100, "exe": "/usr/bin/cp", "comm": "cp", "service": null}, "origin": null}""");
        assertFalse(Schemas.errors("watch-event.json", "{\"event\": \"change\", \"time\": \"now\"}").isEmpty(), "an incomplete change is refused");
    }

    /** The schemas are not vacuous: a document with a field renamed fails. */
    @Test
    void schemasRefuseWrongDocuments() throws Exception {
        try (TestProcess ok = healthy()) {
            String out = json(0, "attach", "--json", Integer.toString(ok.pid()));
            assertFalse(Schemas.errors("attach.json", out.replace("\"soname_ptr\"", "\"soname_pointer\"")).isEmpty());
            assertFalse(Schemas.errors("attach.json", out.replace("\"status\" : \"ok\"", "\"status\" : \"fine\"")).isEmpty());
            assertFalse(Schemas.errors("check.json", out).isEmpty(), "an attach document is not a check document");
            String check = json(0, "check", "--json", Integer.toString(ok.pid()));
            Schemas.assertValid("check.json", check);
            assertFalse(Schemas.errors("check.json", check.replace("\"deep_checked\" : false", "\"deep_checked\" : \"no\"")).isEmpty(),
                    "check's processes are checked against attach.json's process document");
        }
    }
}
