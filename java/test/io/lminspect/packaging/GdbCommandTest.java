package io.lminspect.packaging;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.CoreDumps;
import io.lminspect.support.Env;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gdb command (packaging/gdb/lminspect.py) driven by real gdb, on a live process and on a gcore core. */
class GdbCommandTest {
    private static final Path SCRIPT = Build.root().resolve("packaging/gdb/lminspect.py");

    /** gdb -batch -nx, the script sourced, then the given arguments; the launcher through $LMINSPECT. */
    private static Cli.Result gdb(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "LMINSPECT=" + Build.launcher(), "gdb", "-batch", "-nx",
                "-ex", "source " + SCRIPT));
        cmd.addAll(List.of(args));
        return Cli.exec(cmd, 120);
    }

    /** The JSON document lminspect printed among gdb's own lines. */
    private static Map<String, Object> json(String gdbOutput) {
        int start = gdbOutput.indexOf("\n{\n");
        int end = gdbOutput.lastIndexOf("\n}\n");
        assertTrue(start >= 0 && end > start, "a JSON document in gdb's output:\n" + gdbOutput);
        return JsonDoc.parse(gdbOutput.substring(start + 1, end + 3));
    }

    @Test
    void liveProcessIsAttached() throws Exception {
        Env.assumeTool("gdb", "gdb");
        Env.assumePtraceOfNonDescendants();
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            String pid = Integer.toString(v.pid());
            Cli.Result text = gdb("-p", pid, "-ex", "lminspect");
            assertTrue(text.out().contains("process " + pid + " (tp_victim)"), text.out() + text.err());
            assertTrue(text.out().contains("no findings"), text.out());
            Cli.Result js = gdb("-p", pid, "-ex", "lminspect --json");
            Map<String, Object> doc = json(js.out());
            assertEquals(v.pid(), ((Long) JsonDoc.obj(doc, "target").get("pid")).intValue());
            assertEquals(0L, doc.get("exit_code"));
        }
    }

    @Test
    void coreIsInspectedWithItsExecutable(@TempDir Path dir) throws Exception {
        Env.assumeTool("gdb", "gdb");
        Env.assumeGcore();
        Path exe = Build.testprog("tp_victim");
        Path core;
        try (TestProcess v = TestProcess.start(exe.toString(), Build.testprog("libv.so").toString())) {
            core = CoreDumps.gcore(v.pid(), dir);
        }
        Cli.Result r = gdb(exe.toString(), core.toString(), "-ex", "lminspect --json");
        Map<String, Object> doc = json(r.out());
        assertEquals(core.toString(), JsonDoc.obj(doc, "core").get("path"), "the core gdb loaded");
        assertEquals(exe.toString(), JsonDoc.obj(doc, "target").get("exe"));
        Cli.Result text = gdb(exe.toString(), core.toString(), "-ex", "lminspect");
        assertTrue(text.out().contains("core " + core), text.out() + text.err());
    }

    @Test
    void nothingLoadedIsAnError() throws Exception {
        Env.assumeTool("gdb", "gdb");
        Cli.Result r = gdb("-ex", "lminspect");
        assertTrue(r.err().contains("no live process or core file"), r.out() + r.err());
    }
}
