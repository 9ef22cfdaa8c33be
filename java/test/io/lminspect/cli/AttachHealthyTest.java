package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Env;
import io.lminspect.support.Cli;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Healthy processes: exit 0, no warning or critical finding, the same objects pldd lists. */
class AttachHealthyTest {

    static List<String> pldd(int pid) throws Exception {
        Env.assumeTool("pldd", "libc-bin");
        Env.assumePtraceOfNonDescendants();
        Cli.Result r = Cli.exec(List.of("pldd", Integer.toString(pid)), 30);
        assertEquals(0, r.rc(), "pldd failed: " + r.err());
        List<String> out = new ArrayList<>(r.outLines());
        out.remove(0); // "PID:\tEXE"
        return out;
    }

    /** Asserts a clean attach and that its objects (main program aside) equal pldd's. */
    static Map<String, Object> assertHealthyAndLikePldd(int pid) throws Exception {
        Cli.Result r = Cli.run("attach", "--json", Integer.toString(pid));
        assertEquals(0, r.rc(), () -> "exit code; stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        Map<String, Object> doc = JsonDoc.parse(r.out());
        for (Map<String, Object> f : JsonDoc.list(doc, "findings"))
            assertEquals("info", f.get("severity"), "unexpected finding " + f);
        TreeSet<String> ours = new TreeSet<>();
        for (Map<String, Object> e : JsonDoc.list(doc, "entries")) {
            assertEquals("ok", e.get("status"), "entry " + e);
            if (!((Long) e.get("index") == 0 && (Long) e.get("namespace") == 0)) ours.add((String) e.get("name"));
        }
        assertEquals(new TreeSet<>(pldd(pid)), ours, "objects listed by lminspect vs pldd");
        return doc;
    }

    @Test
    void testprogWithLibrary() throws Exception {
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            Map<String, Object> doc = assertHealthyAndLikePldd(v.pid());
            Map<String, Object> target = JsonDoc.obj(doc, "target");
            assertEquals("glibc", target.get("libc"));
            assertEquals("ELF64", target.get("class"));
            assertEquals("RT_CONSISTENT", JsonDoc.obj(doc, "r_debug").get("state"));
            boolean sawLibv = false;
            for (Map<String, Object> e : JsonDoc.list(doc, "entries"))
                if ("libv.so.2".equals(e.get("soname"))) sawLibv = true;
            assertTrue(sawLibv, "soname of libv read from the process");
        }
    }

    @Test
    void bash() throws Exception {
        try (TestProcess p = TestProcess.start("bash", "-c", "echo ready $$; read x")) {
            assertHealthyAndLikePldd(p.pid());
        }
    }

    @Test
    void python3() throws Exception {
        Env.assumeTool("python3", "python3");
        // ready only once the imports (and their dlopens) are done: pyenv's python3 is a shim that execs python
        try (TestProcess p = TestProcess.start("python3", "-c", "import ssl, json, sqlite3, sys, os; print('ready', os.getpid(), flush=True); sys.stdin.read()")) {
            assertHealthyAndLikePldd(p.pid());
        }
    }

    @Test
    void thisJvm() throws Exception {
        // a JVM maps libjvm (tens of thousands of relocations) and JNA's unlinked temp library
        assertHealthyAndLikePldd((int) ProcessHandle.current().pid());
    }
}
