package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Env;
import io.lminspect.support.Cli;
import io.lminspect.support.Installer;
import io.lminspect.support.CoreDumps;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * `lminspect core` against real cores: gcore of the overwritten-library incident's victim (same answer
 * as attach on the live process), the kernel's core of its real crash (the
 * crash explained), and healthy cores of a test program and a JVM.
 */
class CoreCommandTest {
    @TempDir
    Path dir;

    static List<String> names(Map<String, Object> doc) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> e : JsonDoc.list(doc, "entries")) out.add(e.get("namespace") + ":" + e.get("name"));
        return out;
    }

    static List<String> criticalCodes(Map<String, Object> doc, String object) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> f : JsonDoc.list(doc, "findings"))
            if ("critical".equals(f.get("severity")) && object.equals(f.get("object"))) out.add((String) f.get("code"));
        out.sort(null);
        return out;
    }

    @Test
    void gcoreOfRewrittenLibrarySaysWhatAttachSays() throws Exception {
        Env.assumeGcore();
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            Installer.cpOver(Build.testprog("libv.so"), lib);
            Cli.Result live = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(2, live.rc(), live.err());
            Path core = CoreDumps.gcore(v.pid(), dir);

            Cli.Result r = Cli.run("core", "--json", core.toString());
            assertEquals(2, r.rc(), r.out() + r.err());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            Map<String, Object> liveDoc = JsonDoc.parse(live.out());
            assertEquals(names(liveDoc), names(doc));
            List<String> codes = criticalCodes(doc, lib.toString());
            assertTrue(codes.contains("SONAME_UNMAPPED") && codes.contains("DYNAMIC_UNRELOCATED"), r.out());
            for (String c : codes) assertTrue(criticalCodes(liveDoc, lib.toString()).contains(c), c + " only in the core: " + r.out());
            Map<String, Object> crash = JsonDoc.obj(doc, "crash");
            assertEquals(0L, crash.get("signal"), "gcore: a snapshot, no signal");
            assertEquals((long) v.pid(), crash.get("thread"));
            assertNotNull(crash.get("pc_object"));

            Cli.Result text = Cli.run("core", core.toString());
            assertTrue(text.out().contains("CRITICAL " + lib + " (entry ") && text.out().contains("\n  SONAME_UNMAPPED: "), text.out());
            assertTrue(text.out().contains("crash: none"), text.out());
        }
    }

    /** A crash of tp_victim over lib after `cp newBytes lib`, by signal; its pid and kernel core (null: no core here). */
    private record Crashed(int pid, int status, Path core) {}

    private Crashed crashAfterCp(Path lib, String newBytes, String signal) throws Exception {
        Files.copy(Build.testprog("libv.so"), lib);
        String cmd = "cd '" + dir + "' && ulimit -c unlimited && exec '" + Build.testprog("tp_victim") + "' '" + lib + "'";
        try (Env.CorePattern pattern = Env.coreFilesInCwd(); TestProcess v = TestProcess.start("sh", "-c", cmd)) {
            Installer.cpOver(Build.testprog(newBytes), lib);
            v.signal(signal);
            int status = v.awaitExit(10_000);
            Path core = status > 128 ? CoreDumps.kernelCore(dir, pattern.pattern(), v.pid()) : null;
            assumeTrue(status <= 128 || core != null, "SKIPPED: no core file appeared in " + dir + " (core_pattern " + pattern.pattern()
                    + ", the hard RLIMIT_CORE, or a dump filter)");
            return new Crashed(v.pid(), status, core);
        }
    }

    /** Code run from a library overwritten since it was loaded: the crash is tied to the library the report finds rewritten. */
    @Test
    void aCrashInsideARewrittenLibraryIsTiedToIt() throws Exception {
        Path lib = dir.resolve("libv.so.2");
        // another build over it (its code moved), then tp_victim calls libv_get, looked up before the overwrite
        Crashed c = crashAfterCp(lib, "libv_big.so", "WINCH");
        assumeTrue(c.status() > 128, "SKIPPED: the new bytes happened to run without a fault");
        Path core = c.core();
        Cli.Result r = Cli.run("core", "--json", core.toString());
        assertEquals(2, r.rc(), r.out() + r.err());
        Map<String, Object> crash = JsonDoc.obj(JsonDoc.parse(r.out()), "crash");
        assertTrue(String.valueOf(crash.get("pc_object")).endsWith("libv.so.2"), "it died in the library: " + crash);
        assertTrue(String.valueOf(crash.get("explanation")).contains("the pc lies inside " + lib + ", which this report finds rewritten in place"),
                String.valueOf(crash.get("explanation")));
    }

    @Test
    void kernelCoreOfTheCrashExplainsIt() throws Exception {
        Path lib = dir.resolve("libv.so.2");
        Crashed c = crashAfterCp(lib, "libv.so", "USR1");
        assertEquals(128 + 11, c.status(), "the victim crashes");
        int pid = c.pid();
        Path core = c.core();

        Cli.Result r = Cli.run("core", "--json", core.toString());
        assertEquals(2, r.rc(), r.out() + r.err());
        Map<String, Object> doc = JsonDoc.parse(r.out());
        Map<String, Object> crash = JsonDoc.obj(doc, "crash");
        assertEquals(11L, crash.get("signal"));
        assertEquals("SIGSEGV", crash.get("signal_name"));
        assertEquals("SEGV_MAPERR", crash.get("code"));
        assertEquals((long) pid, crash.get("thread"));
        String soname = null;
        for (Map<String, Object> e : JsonDoc.list(doc, "entries"))
            if (lib.toString().equals(e.get("name"))) {
                soname = (String) e.get("soname_ptr");
                assertEquals("corrupt", e.get("status"));
            }
        assertEquals(soname, crash.get("address"), "the fault address is the corrupted entry's soname pointer: " + crash);
        assertTrue(((String) crash.get("pc_object")).contains("ld-linux"), "it died in ld.so: " + crash);
        String why = (String) crash.get("explanation");
        assertTrue(why.contains("soname pointer") && why.contains(lib.toString()), why);
        assertTrue(why.contains(".dynamic is unrelocated") && why.contains("rewritten in place"), why);
        // tp_victim's dlopen("libm.so.6") is what walked into it: a register still points at the name
        assertTrue(why.contains("a dlopen() was loading libm.so.6"), why);
        // with ld.so's debug file installed (libc6-dbg, by scripts/setup): the function names of the overwritten-library incident
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/usr/lib/debug/.build-id"))
                && Cli.exec(List.of("dpkg-query", "-W", "libc6-dbg"), 30).rc() == 0) {
            assertTrue(String.valueOf(crash.get("pc_symbol")).startsWith("strcmp"), "pc in ld.so's strcmp: " + crash);
            assertTrue(why.contains("called from ld-linux-x86-64.so.2 _dl_map_object+"), why);
        } else {
            System.out.println("libc6-dbg not installed: ld.so's function names not checked");
        }

        Cli.Result text = Cli.run("core", core.toString());
        assertTrue(text.out().contains("crash: SIGSEGV SEGV_MAPERR at " + soname), text.out());
    }

    @Test
    void healthyTestprogCoreMatchesTheLiveProcess() throws Exception {
        Env.assumeGcore();
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            Cli.Result live = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(0, live.rc(), live.out());
            Path core = CoreDumps.gcore(v.pid(), dir);
            Cli.Result r = Cli.run("core", "--json", core.toString());
            assertEquals(0, r.rc(), r.out() + r.err());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            assertEquals(names(JsonDoc.parse(live.out())), names(doc));
            for (Map<String, Object> e : JsonDoc.list(doc, "entries")) assertEquals("ok", e.get("status"), e.toString());
            assertEquals((long) v.pid(), JsonDoc.obj(doc, "target").get("pid"));
            assertEquals("tp_victim", JsonDoc.obj(doc, "target").get("comm"));
        }
    }

    @Test
    void healthyJvmCoreMatchesTheLiveProcess() throws Exception {
        Env.assumeGcore();
        Path src = dir.resolve("Idle.java");
        Files.writeString(src, "public class Idle { public static void main(String[] a) throws Exception {"
                + " System.out.println(\"ready \" + ProcessHandle.current().pid()); Thread.sleep(600_000); } }");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (TestProcess jvm = TestProcess.start(java, "-Xmx32m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", src.toString())) {
            Cli.Result live = Cli.run("attach", "--json", Integer.toString(jvm.pid()));
            assertEquals(0, live.rc(), live.out());
            Path core = CoreDumps.gcore(jvm.pid(), dir);
            Cli.Result r = Cli.run("core", "--json", core.toString());
            assertEquals(0, r.rc(), r.out() + r.err());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            List<String> liveNames = names(JsonDoc.parse(live.out()));
            assertEquals(liveNames, names(doc));
            assertTrue(liveNames.stream().anyMatch(n -> n.endsWith("/libjvm.so")), liveNames.toString());
            Files.deleteIfExists(core);
        }
    }

    @Test
    void wrongExeIsAWarningNotGarbage() throws Exception {
        Env.assumeGcore();
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            Path core = CoreDumps.gcore(v.pid(), dir);
            Cli.Result right = Cli.run("core", "--exe", Build.testprog("tp_victim").toString(), core.toString());
            assertEquals(0, right.rc(), right.out() + right.err());
            Cli.Result wrong = Cli.run("core", "--json", "--exe", Build.testprog("tp_hostile").toString(), core.toString());
            assertEquals(1, wrong.rc(), wrong.out() + wrong.err());
            Map<String, Object> doc = JsonDoc.parse(wrong.out());
            boolean warned = false;
            for (Map<String, Object> f : JsonDoc.list(doc, "findings"))
                if ("CORE_FILE_MISMATCH".equals(f.get("code")) && ((String) f.get("message")).startsWith("--exe does not match")) warned = true;
            assertTrue(warned, wrong.out());
            assertNull(JsonDoc.obj(doc, "crash").get("address"));
        }
    }
}
