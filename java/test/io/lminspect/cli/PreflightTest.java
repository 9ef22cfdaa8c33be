package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The glibc-update incident for real: a process holds libbase v1; a package manager replaces it
 * by v2 with a rename; libraries built against v2 are then preflighted, and
 * the victim really dlopens each one. The prediction must equal the outcome,
 * and the predicted error must be the one dlerror() gives.
 */
class PreflightTest {
    @TempDir
    Path dir;

    /** The library directory of a service: libbase.so.1 (v1 for now) and the clients, libpf_mid.so under deps/. */
    private void install() throws Exception {
        Files.copy(Build.testprog("libbase_v1.so"), dir.resolve("libbase.so.1"));
        for (String l : List.of("libpf_use_old.so", "libpf_use_new.so", "libpf_use_v2only.so", "libpf_outer.so", "libpf_needs_absent.so"))
            Files.copy(Build.testprog(l), dir.resolve(l));
        Files.createDirectories(dir.resolve("deps"));
        Files.copy(Build.testprog("libpf_mid.so"), dir.resolve("deps/libpf_mid.so"));
    }

    /** What rpm and dpkg do: write the new file under a temporary name, then rename it over the old one. */
    private void upgradeBaseByRename() throws Exception {
        Path tmp = dir.resolve("libbase.so.1;5c530fe7");
        Files.copy(Build.testprog("libbase_v2.so"), tmp);
        Files.move(tmp, dir.resolve("libbase.so.1"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private record Outcome(Map<String, Object> doc, int rc, String dlopenLine) {}

    /** preflight --json, then the real dlopen in the victim; both results returned for the assertions. */
    private Outcome predictThenLoad(String library) throws Exception {
        install();
        Path lib = dir.resolve(library);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), "--next", lib.toString(),
                dir.resolve("libbase.so.1").toString())) {
            upgradeBaseByRename();
            Cli.Result r = Cli.run("preflight", "--json", Integer.toString(v.pid()), lib.toString());
            assertTrue(r.rc() == 0 || r.rc() == 2, "rc " + r.rc() + ": " + r.err() + r.out());
            assertEquals("", r.err());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            v.signal("USR1");
            String line = v.awaitLine("dlopen ", 10_000);
            assertNotNull(line, "the victim reports its dlopen: " + v.lines());
            Outcome o = new Outcome(doc, r.rc(), line);
            boolean loaded = line.equals("dlopen " + lib + " ok");
            assertEquals(loaded, doc.get("would_succeed"), "prediction vs reality: " + line + "\n" + r.out());
            assertEquals(loaded ? 0 : 2, r.rc());
            if (!loaded) assertEquals("dlopen " + lib + " failed: " + doc.get("predicted_error"), line, "the predicted dlerror() text");
            return o;
        }
    }

    private static Map<String, Object> critical(Map<String, Object> doc, String code) {
        for (Map<String, Object> f : JsonDoc.list(doc, "findings"))
            if ("critical".equals(f.get("severity")) && code.equals(f.get("code"))) return f;
        throw new AssertionError("no critical " + code + " in " + JsonDoc.list(doc, "findings"));
    }

    @Test
    void newSymbolInAnOldVersionFails() throws Exception {
        Outcome o = predictThenLoad("libpf_use_new.so");
        Map<String, Object> f = critical(o.doc(), "VERSION_UNSATISFIED");
        String msg = (String) f.get("message");
        assertTrue(msg.contains("base_priv_b") && msg.contains("BASE_PRIVATE"), msg);
        assertEquals(dir.resolve("libbase.so.1").toString(), f.get("object"), "the finding names the stale provider");
        String evidence = ((List<?>) f.get("evidence")).stream().map(String::valueOf).reduce("", (a, b) -> a + "\n" + b);
        assertTrue(evidence.contains("replaced since it was mapped"), evidence);
        assertTrue(evidence.contains("today does define base_priv_b@BASE_PRIVATE"), evidence);
    }

    @Test
    void newSymbolReachedThroughRunpathOriginFails() throws Exception {
        Outcome o = predictThenLoad("libpf_outer.so");
        String msg = (String) critical(o.doc(), "VERSION_UNSATISFIED").get("message");
        assertTrue(msg.startsWith(dir.resolve("deps/libpf_mid.so") + ":"), msg);
        assertTrue(msg.contains("base_priv_b") && msg.contains("BASE_PRIVATE"), msg);
        boolean viaRunpath = false;
        for (Map<String, Object> obj : JsonDoc.list(o.doc(), "objects"))
            if ("libpf_mid.so".equals(obj.get("name"))) {
                assertEquals("new", obj.get("status"));
                assertEquals(dir.resolve("deps/libpf_mid.so").toString(), obj.get("path"));
                viaRunpath = ((String) obj.get("found_by")).startsWith("RUNPATH");
            }
        assertTrue(viaRunpath, "libpf_mid.so found through RUNPATH $ORIGIN/deps: " + JsonDoc.list(o.doc(), "objects"));
    }

    @Test
    void versionTheLoadedCopyLacksFails() throws Exception {
        Outcome o = predictThenLoad("libpf_use_v2only.so");
        String msg = (String) critical(o.doc(), "VERSION_UNSATISFIED").get("message");
        assertEquals(dir.resolve("libbase.so.1") + ": version `BASE_2.0' not found (required by " + dir.resolve("libpf_use_v2only.so") + ")", msg);
    }

    @Test
    void onlyOldSymbolsLoads() throws Exception {
        Outcome o = predictThenLoad("libpf_use_old.so");
        assertEquals(true, o.doc().get("would_succeed"));
        boolean reusedStale = false;
        for (Map<String, Object> obj : JsonDoc.list(o.doc(), "objects"))
            if ("libbase.so.1".equals(obj.get("name"))) reusedStale = "reused".equals(obj.get("status")) && "replaced".equals(obj.get("file_today"));
        assertTrue(reusedStale, "libbase.so.1 is reused from the process, its file replaced: " + o.doc());
        boolean warned = false;
        for (Map<String, Object> f : JsonDoc.list(o.doc(), "findings")) warned |= "FILE_REPLACED".equals(f.get("code"));
        assertTrue(warned, "the reuse of a replaced file is reported");
    }

    @Test
    void missingNeededFails() throws Exception {
        Outcome o = predictThenLoad("libpf_needs_absent.so");
        assertEquals("libpf_absent.so.1: cannot open shared object file: No such file or directory",
                critical(o.doc(), "NEEDED_NOT_FOUND").get("message"));
    }

    @Test
    void systemLibresolvLoadsIntoARunningProcess() throws Exception {
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), "--next", "libresolv.so.2")) {
            Cli.Result r = Cli.run("preflight", Integer.toString(v.pid()), "libresolv.so.2");
            assertEquals(0, r.rc(), r.out() + r.err());
            assertTrue(r.out().contains("dlopen(\"libresolv.so.2\"): would succeed"), r.out());
            assertTrue(r.out().matches("(?s).*libc\\.so\\.6 => \\S+ +\\[reused: entry \\d+.*"), r.out());
            v.signal("USR1");
            assertEquals("dlopen libresolv.so.2 ok", v.awaitLine("dlopen ", 10_000));
        }
    }

    @Test
    void textShowsTheTreeAndTheStaleCopy() throws Exception {
        install();
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), dir.resolve("libbase.so.1").toString())) {
            upgradeBaseByRename();
            Cli.Result r = Cli.run("preflight", Integer.toString(v.pid()), dir.resolve("libpf_outer.so").toString(),
                    dir.resolve("libpf_use_old.so").toString());
            assertEquals(2, r.rc(), r.out() + r.err());
            String out = r.out();
            assertTrue(out.contains("dlopen(\"" + dir.resolve("libpf_outer.so") + "\"): WOULD FAIL"), out);
            assertTrue(out.contains("dlopen(\"" + dir.resolve("libpf_use_old.so") + "\"): would succeed"), out);
            assertTrue(out.contains("`- libpf_mid.so => " + dir.resolve("deps/libpf_mid.so") + "  [new: RUNPATH of "), out);
            assertTrue(out.contains("`- libbase.so.1 => " + dir.resolve("libbase.so.1") + "  [reused: entry "), out);
            assertTrue(out.contains("file REPLACED since mapped"), out);
            assertTrue(out.contains("CRITICAL " + dir.resolve("libbase.so.1")) && out.contains("\n  VERSION_UNSATISFIED: "), out);
        }
    }

    @Test
    void severalLibrariesInOneJsonDocument() throws Exception {
        install();
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), dir.resolve("libbase.so.1").toString())) {
            Cli.Result r = Cli.run("preflight", "--json", Integer.toString(v.pid()), dir.resolve("libpf_use_old.so").toString(),
                    dir.resolve("libpf_use_new.so").toString());
            assertEquals(2, r.rc(), "libpf_use_new.so needs v2 even before the upgrade: " + r.out());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            assertEquals((long) v.pid(), JsonDoc.obj(doc, "target").get("pid"));
            List<Map<String, Object>> libs = JsonDoc.list(doc, "libraries");
            assertEquals(2, libs.size());
            assertEquals(true, libs.get(0).get("would_succeed"));
            assertEquals(false, libs.get(1).get("would_succeed"));
            assertEquals(false, doc.get("would_succeed"));
        }
    }

    @Test
    void badInputIsOneLineAndExit3() throws Exception {
        Path notElf = dir.resolve("notelf.so");
        Files.writeString(notElf, "just text\n");
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString())) {
            String pid = Integer.toString(v.pid());
            for (String[] args : List.of(new String[]{"preflight", "999999999", "libc.so.6"},
                    new String[]{"preflight", "notapid", "libc.so.6"},
                    new String[]{"preflight", pid, dir.resolve("missing.so").toString()},
                    new String[]{"preflight", pid, notElf.toString()},
                    new String[]{"preflight", pid})) {
                Cli.Result r = Cli.run(args);
                assertEquals(3, r.rc(), String.join(" ", args) + ": " + r.out() + r.err());
                assertEquals("", r.out());
                assertEquals(1, r.err().strip().split("\n").length, r.err());
                assertFalse(r.err().contains("Exception"), r.err());
            }
        }
    }
}
