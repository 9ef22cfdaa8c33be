package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Env;
import io.lminspect.support.Cli;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** i386 and musl processes, static binaries, `ld.so ./prog`, and a private mount namespace. */
class OtherTargetsTest {
    @TempDir
    Path dir;

    /** pldd attaches with ptrace to a process that is not its child. */
    static void assumePldd() {
        Env.assumeTool("pldd", "libc-bin");
        Env.assumePtraceOfNonDescendants();
    }

    static void assumeBuilt(String name, String pkg) {
        assumeTrue(Files.exists(Build.build().resolve("testprogs").resolve(name)),
                name + " was not built: install " + pkg + " (scripts/setup does) to run this test");
    }

    static Set<String> names(Map<String, Object> doc, boolean skipMainAndVdso) {
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> e : JsonDoc.list(doc, "entries")) {
            String n = (String) e.get("name");
            if (skipMainAndVdso && ((Long) e.get("index") == 0 || n.contains("vdso") || n.startsWith("linux-gate"))) continue;
            out.add(n);
        }
        return out;
    }

    static Set<String> pldd(int pid, boolean skipVdso) throws Exception {
        Set<String> out = new TreeSet<>();
        List<String> lines = Cli.exec(List.of("pldd", Integer.toString(pid)), 30).outLines();
        for (String l : lines.subList(1, lines.size())) if (!(skipVdso && (l.contains("vdso") || l.startsWith("linux-gate")))) out.add(l);
        return out;
    }

    @Test
    void i386HealthyListEqualsPlddAndRewriteIsFoundAndCrashes() throws Exception {
        Env.assumeI386();
        assumePldd();
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv32.so"), lib);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim32").toString(), lib.toString())) {
            Cli.Result r = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(0, r.rc(), r.out());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            assertEquals("ELF32", JsonDoc.obj(doc, "target").get("class"));
            assertEquals("i386", JsonDoc.obj(doc, "target").get("machine"));
            Set<String> ours = names(doc, false);
            ours.removeIf(n -> n.equals(JsonDoc.list(doc, "entries").get(0).get("name")));
            assertEquals(pldd(v.pid(), false), ours);

            Installer.afterTheServiceHasRun();
            Installer.cpSameBytesOver(lib);
            Cli.Result bad = Cli.run("attach", Integer.toString(v.pid()));
            assertEquals(2, bad.rc(), bad.out());
            assertTrue(bad.out().contains("CRITICAL " + lib + " (entry ") && bad.out().contains("\n  SONAME_UNMAPPED: "), bad.out());
            v.signal("USR1");
            assertEquals(128 + 11, v.awaitExit(10_000), "the 32-bit victim crashes as predicted: " + v.lines());
        }
    }

    @Test
    void muslListIsRightSonameCheckDoesNotApplyRevertedRelocationsStillCritical() throws Exception {
        Env.assumeMusl();
        assumePldd();
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv_musl.so"), lib);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim_musl").toString(), lib.toString())) {
            Cli.Result r = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(0, r.rc(), r.out());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            assertEquals("musl", JsonDoc.obj(doc, "target").get("libc"));
            Set<String> ours = names(doc, true);
            Set<String> theirs = pldd(v.pid(), true);
            theirs.remove(Build.testprog("tp_victim_musl").toString()); // musl's pldd view lists the program too
            assertEquals(theirs, ours);
            assertTrue(r.out().contains("soname check does not apply"), r.out());

            Installer.afterTheServiceHasRun();
            Installer.cpSameBytesOver(lib);
            Cli.Result bad = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(2, bad.rc());
            Map<String, Object> bdoc = JsonDoc.parse(bad.out());
            Set<String> codes = new TreeSet<>();
            for (Map<String, Object> f : JsonDoc.list(bdoc, "findings")) if ("critical".equals(f.get("severity"))) codes.add((String) f.get("code"));
            assertTrue(codes.contains("RELOCATIONS_REVERTED"), codes.toString());
            assertFalse(codes.contains("SONAME_UNMAPPED") || codes.contains("DYNAMIC_UNRELOCATED"), "glibc-only checks: " + codes);
        }
    }

    @Test
    void staticBinariesGetAClearAnswer() throws Exception {
        assumeBuilt("tp_static", "a static libc (libc6-dev)");
        try (TestProcess v = TestProcess.start(Build.testprog("tp_static").toString())) {
            Cli.Result r = Cli.run("attach", Integer.toString(v.pid()));
            assertEquals(0, r.rc(), r.out() + r.err());
            assertTrue(r.out().contains("statically linked executable: it has no dynamic linker and no link_map"), r.out());
        }
        assumeBuilt("tp_static_pie", "a static-pie libc");
        try (TestProcess v = TestProcess.start(Build.testprog("tp_static_pie").toString())) {
            Cli.Result r = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(0, r.rc(), r.out() + r.err());
            JsonDoc.parse(r.out());
        }
    }

    /** A process stopped at exec, before ld.so ran: r_debug exists but lists nothing yet. */
    @Test
    void processStillInDynamicLinkerStartUp() throws Exception {
        try (TestProcess p = TestProcess.start(Build.testprog("tp_prestart").toString(), Build.testprog("tp_victim").toString(),
                Build.testprog("libv.so").toString())) {
            Cli.Result r = Cli.run("attach", Integer.toString(p.pid()));
            assertEquals(0, r.rc(), r.out() + r.err());
            assertTrue(r.out().contains("has not published any object yet"), r.out());
            JsonDoc.parse(Cli.run("attach", "--json", Integer.toString(p.pid())).out());
        }
    }

    /** --regs on a 32-bit process from the 64-bit inspector: i386 register names. */
    @Test
    void i386Registers() throws Exception {
        Env.assumeI386();
        Env.assumePtraceOfNonDescendants(); // --regs traces from a forked child
        try (TestProcess v = TestProcess.start("sh", "-c", Build.testprog("tp_victim32") + " " + Build.testprog("libv32.so") + " & wait")) {
            Cli.Result r = Cli.run("attach", "--regs", "--json", Integer.toString(v.pid()));
            assertEquals(0, r.rc(), r.out() + r.err());
            Map<String, Object> t = JsonDoc.list(JsonDoc.parse(r.out()), "threads").get(0);
            Map<String, Object> regs = JsonDoc.obj(t, "registers");
            assertTrue(regs.containsKey("eip") && regs.containsKey("esp"), regs.toString());
            assertFalse(regs.containsKey("rip"), "i386 layout, not x86-64: " + regs);
        }
    }

    @Test
    void startedThroughTheDynamicLinker() throws Exception {
        try (TestProcess v = TestProcess.start("/lib64/ld-linux-x86-64.so.2", Build.testprog("tp_victim").toString(),
                Build.testprog("libv.so").toString())) {
            Cli.Result r = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(0, r.rc(), r.out() + r.err());
            Set<String> ours = names(JsonDoc.parse(r.out()), false);
            assertTrue(ours.contains(Build.testprog("libv.so").toString()), ours.toString());
            assertTrue(ours.contains("/lib/x86_64-linux-gnu/libc.so.6"), ours.toString());
        }
    }

    /** Libraries in a mount namespace of their own: seen through /proc/PID/root, no false deleted/replaced. */
    @Test
    void privateMountNamespace() throws Exception {
        Env.assumeMountNamespaces();
        Env.assumeTool("nsenter", "util-linux");
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        String script = "mount -t tmpfs none " + mnt + " && cp " + Build.testprog("libv.so") + " " + mnt + "/libv.so.2 && exec "
                + Build.testprog("tp_victim") + " " + mnt + "/libv.so.2";
        try (TestProcess v = TestProcess.start("unshare", "-m", "-p", "-f", "--propagation", "private", "sh", "-c", script)) {
            assertFalse(Files.exists(mnt.resolve("libv.so.2")), "the library is invisible from our namespace");
            int pid = v.hostPidOf("tp_victim");
            Cli.Result r = Cli.run("check", "--format", "json", Integer.toString(pid));
            assertEquals(0, r.rc(), r.out());
            Map<String, Object> target = JsonDoc.obj(JsonDoc.list(JsonDoc.parse(r.out()), "processes").get(0), "target");
            assertEquals(1L, target.get("ns_pid"), "its pid inside its own pid namespace is reported: " + target);

            Installer.afterTheServiceHasRun();
            Cli.Result cp = Cli.exec(List.of("nsenter", "-t", Integer.toString(pid), "-m", "sh", "-c",
                    "cp " + mnt + "/libv.so.2 /tmp/lmi-ns-copy && cp /tmp/lmi-ns-copy " + mnt + "/libv.so.2"), 30);
            assertEquals(0, cp.rc(), cp.err());
            Cli.Result bad = Cli.run("check", "--format", "json", Integer.toString(pid));
            assertEquals(2, bad.rc(), bad.out());
            assertTrue(bad.out().contains("FILE_REWRITTEN_IN_PLACE"), "the rewrite inside the namespace is found");
        }
    }
}
