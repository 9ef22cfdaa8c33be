package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Installer;
import io.lminspect.support.Cli;
import io.lminspect.support.CoreDumps;
import io.lminspect.support.Env;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.ReleaseTree;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The release matrix: real programs of Debian bullseye (glibc 2.31), bookworm (2.36), trixie (2.41)
 * and sid, amd64, and bullseye i386, from trees debootstrap built (scripts/release-trees). In each:
 * python3 with extension modules and nginx, run chrooted, in their own mount namespace after
 * pivot_root, on an overlayfs root as a container runtime makes (and on the host for the host's release) give no finding and the listing of that
 * release's own pldd; the overwritten-library incident reproduced inside the release is critical
 * and the process then really crashes at the predicted address; cores (gcore and the kernel's)
 * read with the files present, absent and through --sysroot give the same entries and no
 * critical finding. Each case prints one "matrix:" line; docs/testing.md quotes a run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseMatrixTest {
    static final String HEALTHY = "import os, sys, ssl, ctypes, sqlite3, json, hashlib, decimal\n"
            + "print('ready', os.getpid(), flush=True)\nsys.stdin.readline()\n";
    /** argv: the library to load, the directory for a core. A dlopen of a name nothing matches walks every loaded soname. */
    static final String VICTIM = "import os, sys, ctypes\nos.chdir(sys.argv[2])\nctypes.CDLL(sys.argv[1])\n"
            + "print('ready', os.getpid(), flush=True)\nsys.stdin.readline()\n"
            + "try:\n    ctypes.CDLL('liblmi-not-loaded.so.9')\nexcept OSError:\n    pass\nprint('survived', flush=True)\n";

    private final List<String> report = new ArrayList<>();
    private Env.CorePattern corePattern;

    static Stream<String> trees() {
        return ReleaseTree.NAMES.stream();
    }

    @BeforeAll
    void cores() throws Exception {
        if (Env.isRoot()) corePattern = Env.coreFilesInCwd();
    }

    @AfterAll
    void writeReport() throws Exception {
        if (corePattern != null) corePattern.close();
        Files.createDirectories(Build.build());
        Files.write(Build.build().resolve("release-matrix.txt"), report);
        report.forEach(System.out::println);
    }

    private ReleaseTree tree(String name) throws Exception {
        ReleaseTree t = ReleaseTree.of(name);
        assumeTrue(t.unavailable() == null, () -> "SKIPPED: release tree " + name + " unavailable: " + t.unavailable());
        if (t.arch().equals("i386")) Env.assumeI386();
        return t;
    }

    /** A fresh directory in the tree's /tmp; earlier runs' (cores of a few MB each) are removed, so the cache does not grow. */
    private Path scratch(ReleaseTree t, String what) throws Exception {
        Path tmp = t.host("/tmp");
        try (Stream<Path> old = Files.list(tmp)) {
            for (Path d : old.filter(p -> p.getFileName().toString().startsWith("lmi-" + what + "-")).toList())
                try (Stream<Path> s = Files.walk(d)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
        }
        return Files.createDirectories(tmp.resolve("lmi-" + what + "-" + ProcessHandle.current().pid()));
    }

    /** attach --json: no finding at all (not even info), every entry ok; returns the names, main program aside. */
    private TreeSet<String> attachClean(int pid, String label) {
        Cli.Result r = Cli.run("attach", "--json", Integer.toString(pid));
        Map<String, Object> doc = JsonDoc.parse(r.out());
        assertEquals(List.of(), JsonDoc.list(doc, "findings"), label + ": no finding on a healthy process");
        assertEquals(0, r.rc(), label + ": " + r.err());
        TreeSet<String> names = new TreeSet<>();
        for (Map<String, Object> e : JsonDoc.list(doc, "entries")) {
            assertEquals("ok", e.get("status"), label + ": " + e);
            if (!((Long) e.get("index") == 0 && (Long) e.get("namespace") == 0)) names.add((String) e.get("name"));
        }
        return names;
    }

    private TreeSet<String> pldd(ReleaseTree t, int pid) throws Exception {
        Cli.Result r = Cli.exec(t.pldd(pid), 60);
        assertEquals(0, r.rc(), "pldd of " + t.name() + ": " + r.err());
        List<String> lines = r.outLines();
        return new TreeSet<>(lines.subList(1, lines.size()));
    }

    private void healthy(ReleaseTree t, String way, List<String> cmd) throws Exception {
        try (TestProcess p = TestProcess.start(cmd.toArray(new String[0]))) {
            TreeSet<String> ours = attachClean(p.pid(), t.name() + " " + way);
            TreeSet<String> theirs = way.equals("host") ? AttachHealthyTestPldd.of(p.pid()) : pldd(t, p.pid());
            assertEquals(theirs, ours, t.name() + " " + way + ": lminspect's listing vs the release's pldd");
            report.add(String.format("matrix: %-15s %-10s %-8s %2d objects, no finding, listing = pldd", t.name(), way, label(cmd), ours.size()));
        }
    }

    private static String label(List<String> cmd) {
        String all = String.join(" ", cmd);
        return all.contains("nginx") ? "nginx" : "python3";
    }

    @ParameterizedTest
    @MethodSource("trees")
    void pythonChrootedAndInItsOwnNamespace(String name) throws Exception {
        ReleaseTree t = tree(name);
        healthy(t, "chroot", t.chroot("python3", "-c", HEALTHY));
        Env.assumeMountNamespaces();
        healthy(t, "pivot_root", t.pivotRoot("python3", "-c", HEALTHY));
        Path layers = Files.createTempDirectory(Build.build(), "overlay-" + t.name());
        try {
            healthy(t, "overlayfs", t.overlayRoot(layers, "python3", "-c", HEALTHY));
        } finally {
            try (Stream<Path> s = Files.walk(layers)) { // the layers outlive the namespace that mounted them
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (t.suite().equals(hostSuite()) && t.arch().equals("amd64") && Files.exists(Path.of("/usr/bin/python3")))
            healthy(t, "host", List.of("python3", "-c", HEALTHY));
    }

    @ParameterizedTest
    @MethodSource("trees")
    void nginxChrooted(String name) throws Exception {
        ReleaseTree t = tree(name);
        Path dir = scratch(t, "nginx");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String inside = "/" + t.root().relativize(dir);
        Files.writeString(dir.resolve("nginx.conf"), "user root; daemon off; master_process on; worker_processes 1;\n"
                + "pid " + inside + "/nginx.pid; error_log " + inside + "/error.log;\n"
                + "events {}\nhttp { access_log off; server { listen 127.0.0.1:" + port + "; } }\n");
        // nginx prints nothing when it is up: the shell says ready once the master has its pid file
        List<String> cmd = new ArrayList<>(t.chroot("sh", "-c", "nginx -c " + inside + "/nginx.conf & "
                + "for i in $(seq 100); do [ -s " + inside + "/nginx.pid ] && break; sleep 0.05; done; echo ready $(cat " + inside + "/nginx.pid); wait"));
        try (TestProcess p = TestProcess.start(cmd.toArray(new String[0]))) {
            try {
                TreeSet<String> ours = attachClean(p.pid(), t.name() + " nginx");
                assertEquals(pldd(t, p.pid()), ours, t.name() + " nginx: lminspect's listing vs the release's pldd");
                report.add(String.format("matrix: %-15s %-10s %-8s %2d objects, no finding, listing = pldd", t.name(), "chroot", "nginx", ours.size()));
            } finally {
                // the master stops its workers on SIGTERM; a SIGKILL would leave them running, orphaned
                p.signal("TERM");
                p.awaitExit(10_000);
            }
        }
    }

    /**
     * The overwritten-library incident inside the release: a library of the release loaded by
     * python3 through ctypes, cp-ed over with its own bytes; critical, then the next dlopen
     * crashes at the soname pointer lminspect predicted (read back from the kernel's core).
     */
    @ParameterizedTest
    @MethodSource("trees")
    void overwrittenLibraryPredictedAndCrashes(String name) throws Exception {
        ReleaseTree t = tree(name);
        assumeTrue(corePattern != null, "SKIPPED: kernel cores need root (core_pattern)");
        Path dir = scratch(t, "victim");
        Path lib = dir.resolve("libvictim.so");
        Files.copy(t.library("libz.so.1"), lib);
        String inside = "/" + t.root().relativize(dir);
        try (TestProcess p = TestProcess.start(t.chroot("python3", "-c", VICTIM, inside + "/libvictim.so", inside).toArray(new String[0]))) {
            attachClean(p.pid(), t.name() + " victim before");
            Installer.afterTheServiceHasRun();
            assertEquals(0, Cli.exec(List.of("cp", lib.toString(), lib + ".same"), 30).rc());
            assertEquals(0, Cli.exec(List.of("cp", lib + ".same", lib.toString()), 30).rc()); // O_TRUNC on the mapped inode
            Cli.Result r = Cli.run("attach", "--json", Integer.toString(p.pid()));
            assertEquals(2, r.rc(), r.out());
            String predicted = null;
            for (Map<String, Object> f : JsonDoc.list(JsonDoc.parse(r.out()), "findings"))
                if ("SONAME_UNMAPPED".equals(f.get("code")) && (inside + "/libvictim.so").equals(f.get("object"))) predicted = (String) f.get("address");
            assertNotNull(predicted, t.name() + ": SONAME_UNMAPPED names the library: " + r.out());

            OutputStream o = p.process().getOutputStream();
            o.write("go\n".getBytes(StandardCharsets.UTF_8));
            o.flush();
            assertEquals(128 + 11, p.awaitExit(15_000), t.name() + ": the next dlopen crashes: " + p.lines());
            Path core = CoreDumps.kernelCore(dir, corePattern.pattern(), p.pid());
            assertNotNull(core, "the kernel's core in " + dir);
            Cli.Result c = Cli.run("core", "--json", "--sysroot", t.root().toString(), core.toString());
            Map<String, Object> crash = JsonDoc.obj(JsonDoc.parse(c.out()), "crash");
            assertEquals("SIGSEGV", crash.get("signal_name"));
            // strcmp reads aligned words: the fault lies at the pointer or a few bytes below it, in the same unmapped page
            long want = Long.decode(predicted), got = Long.decode((String) crash.get("address"));
            assertTrue(got <= want && want - got < 64, t.name() + ": the fault address " + crash.get("address")
                    + " is the predicted soname pointer " + predicted + " (to strcmp's alignment)");
            assertTrue(String.valueOf(crash.get("explanation")).contains("libvictim.so"), "the crash is tied to the library: " + crash);
            report.add(String.format("matrix: %-15s %-10s %-8s cp over libz copy: CRITICAL SONAME_UNMAPPED %s; crashed there (kernel core)",
                    t.name(), "chroot", "python3", predicted));
        }
    }

    /** Cores of a healthy process: gcore and the kernel's, with files present, absent, and under --sysroot. */
    @ParameterizedTest
    @MethodSource("trees")
    void coresOfHealthyProcessReadAnywhere(String name) throws Exception {
        ReleaseTree t = tree(name);
        Env.assumeGcore();
        assumeTrue(corePattern != null, "SKIPPED: kernel cores need root (core_pattern)");
        Path dir = scratch(t, "cores");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String inside = "/" + t.root().relativize(dir);
        String script = "import os, sys, ssl, ctypes, sqlite3\nos.chdir(sys.argv[1])\nprint('ready', os.getpid(), flush=True)\nsys.stdin.readline()\n";
        try (TestProcess p = TestProcess.start(t.chroot("python3", "-c", script, inside).toArray(new String[0]))) {
            TreeSet<String> live = attachClean(p.pid(), t.name() + " live");
            Path gcore = CoreDumps.gcore(p.pid(), dir);
            p.signal("ABRT");
            assertEquals(128 + 6, p.awaitExit(15_000));
            Path kcore = CoreDumps.kernelCore(dir, corePattern.pattern(), p.pid());
            assertNotNull(kcore, "the kernel's core in " + dir);
            List<String> cases = new ArrayList<>();
            // gcore names host paths (it read our view of the maps), the kernel the process's own
            cases.addAll(readCore(t, gcore, live, "gcore", "files present"));
            cases.addAll(readCore(t, gcore, live, "gcore", "files absent", "--sysroot", empty.toString()));
            cases.addAll(readCore(t, kcore, live, "kernel", "--sysroot", "--sysroot", t.root().toString()));
            cases.addAll(readCore(t, kcore, live, "kernel", "files absent", "--sysroot", empty.toString()));
            cases.addAll(readCore(t, kcore, live, "kernel", "host's files"));
            report.add(String.format("matrix: %-15s %-10s %-8s cores: %s", t.name(), "chroot", "python3", String.join("; ", cases)));
        }
    }

    private List<String> readCore(ReleaseTree t, Path core, TreeSet<String> live, String kind, String how, String... opts) {
        List<String> args = new ArrayList<>(List.of("core", "--json"));
        args.addAll(List.of(opts));
        args.add(core.toString());
        Cli.Result r = Cli.run(args.toArray(new String[0]));
        String label = t.name() + " " + kind + " core, " + how;
        assertTrue(r.rc() == 0 || r.rc() == 1, label + ": exit " + r.rc() + "\n" + r.out() + r.err());
        Map<String, Object> doc = JsonDoc.parse(r.out());
        TreeSet<String> codes = new TreeSet<>();
        for (Map<String, Object> f : JsonDoc.list(doc, "findings")) {
            assertTrue(!"critical".equals(f.get("severity")), label + ": no critical finding on a healthy process: " + f);
            // a warning may only say the files given are another build (true of the host's own files)
            if ("warning".equals(f.get("severity"))) assertEquals("CORE_FILE_MISMATCH", f.get("code"), label + ": " + f);
            codes.add((String) f.get("code"));
        }
        TreeSet<String> names = new TreeSet<>();
        for (Map<String, Object> e : JsonDoc.list(doc, "entries"))
            if (!((Long) e.get("index") == 0 && (Long) e.get("namespace") == 0)) names.add((String) e.get("name"));
        assertEquals(live, names, label + ": the same entries as the live process");
        return List.of(kind + " " + how + " -> exit " + r.rc() + (codes.isEmpty() ? "" : " " + codes));
    }

    static String hostSuite() {
        try {
            String v = Files.readString(Path.of("/etc/os-release"));
            for (String l : v.split("\n")) if (l.startsWith("VERSION_CODENAME=")) return l.substring(17).replace("\"", "").trim();
        } catch (java.io.IOException e) {
            // unknown host release: no host row
        }
        return "";
    }

    /** The host's own pldd (the host row). */
    static final class AttachHealthyTestPldd {
        static TreeSet<String> of(int pid) throws Exception {
            return new TreeSet<>(AttachHealthyTest.pldd(pid));
        }
    }
}
