package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One host, six real processes, each in one of the deploy-time situations:
 * a library cp-ed over, one replaced by rename, one deleted, a MAP_SHARED file
 * truncated, a memfd user, a healthy one. Libraries live outside temp dirs
 * (the build dir may be under /tmp in CI): a deleted library in a temp dir is
 * only "info" by design.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckCommandTest {
    Path scratch;
    final Map<String, TestProcess> procs = new HashMap<>();

    @BeforeAll
    void setUp() throws Exception {
        scratch = Build.scratchOutsideTemp().resolve("check-" + ProcessHandle.current().pid());
        Files.createDirectories(scratch);
        for (String name : List.of("cp", "renamed", "deleted", "healthy")) {
            Path dir = Files.createDirectories(scratch.resolve(name));
            Files.copy(Build.testprog("libv.so"), dir.resolve("libv.so.2"));
            procs.put(name, TestProcess.start(Build.testprog("tp_victim").toString(), dir.resolve("libv.so.2").toString()));
        }
        Path data = scratch.resolve("cache.dat");
        Files.writeString(data, "x".repeat(71));
        procs.put("pasteof", TestProcess.start(Build.testprog("tp_mapfile").toString(), "shared", data.toString()));
        procs.put("memfd", TestProcess.start(Build.testprog("tp_mapfile").toString(), "memfd"));
        Installer.afterTheServiceHasRun();

        Installer.cpOver(Build.testprog("libv.so"), scratch.resolve("cp/libv.so.2"));
        Path tmp = scratch.resolve("renamed/.libv.so.2;5c530fe7");
        Files.copy(Build.testprog("libv_big.so"), tmp);
        Files.move(tmp, scratch.resolve("renamed/libv.so.2"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(scratch.resolve("deleted/libv.so.2"));
        Cli.exec(List.of("truncate", "-s", "0", data.toString()), 30);
    }

    @AfterAll
    void tearDown() throws Exception {
        procs.values().forEach(TestProcess::close);
        try (Stream<Path> s = Files.walk(scratch)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    String[] pidArgs(String... extra) {
        List<String> a = new ArrayList<>(List.of(extra));
        for (String k : List.of("cp", "renamed", "deleted", "pasteof", "memfd", "healthy")) a.add(Integer.toString(procs.get(k).pid()));
        return a.toArray(new String[0]);
    }

    static Set<String> codes(Map<String, Object> processDoc, String minSeverity) {
        Set<String> out = new HashSet<>();
        for (Map<String, Object> f : JsonDoc.list(processDoc, "findings")) {
            String s = (String) f.get("severity");
            if (minSeverity.equals("warning") && s.equals("info")) continue;
            out.add((String) f.get("code"));
        }
        return out;
    }

    @Test
    void jsonNamesEachSituation() {
        Cli.Result r = Cli.run(pidArgs("check", "--format", "json"));
        assertEquals(2, r.rc(), r.err());
        Map<String, Object> doc = JsonDoc.parse(r.out());
        Map<Long, Map<String, Object>> byPid = new HashMap<>();
        for (Map<String, Object> p : JsonDoc.list(doc, "processes")) byPid.put((Long) JsonDoc.obj(p, "target").get("pid"), p);
        assertEquals(6, byPid.size(), "all six inspected; skipped: " + doc.get("skipped"));

        Set<String> cp = codes(byPid.get((long) procs.get("cp").pid()), "warning");
        assertTrue(cp.containsAll(Set.of("SONAME_UNMAPPED", "DYNAMIC_UNRELOCATED", "FILE_REWRITTEN_IN_PLACE")), cp.toString());
        assertEquals(Set.of("FILE_REPLACED"), codes(byPid.get((long) procs.get("renamed").pid()), "warning"));
        assertEquals(Set.of("FILE_DELETED"), codes(byPid.get((long) procs.get("deleted").pid()), "warning"));
        assertEquals(Set.of("MAPPING_PAST_EOF"), codes(byPid.get((long) procs.get("pasteof").pid()), "warning"));
        assertEquals(Set.of(), codes(byPid.get((long) procs.get("memfd").pid()), "info"), "memfd never counts");
        assertEquals(Set.of(), codes(byPid.get((long) procs.get("healthy").pid()), "info"));

        Map<String, Object> eof = JsonDoc.list(byPid.get((long) procs.get("pasteof").pid()), "findings").get(0);
        assertEquals("critical", eof.get("severity"), "MAP_SHARED and writable: critical");
        assertTrue(((String) eof.get("message")).contains("1 mapped page lies wholly past EOF"), (String) eof.get("message"));
        Map<String, Object> deleted = JsonDoc.list(byPid.get((long) procs.get("deleted").pid()), "findings").get(0);
        assertEquals("warning", deleted.get("severity"), "a loaded library outside temp dirs");
    }

    @Test
    void textIsOneBlockPerFileWorstFirstThenRestartAndSummary() {
        Cli.Result r = Cli.run(pidArgs("check"));
        assertEquals(2, r.rc());
        List<String> lines = r.outLines();
        String cpLib = "/cp/libv.so.2", eofFile = "cache.dat";
        assertTrue(lines.get(0).startsWith("CRITICAL ") && (lines.get(0).contains(cpLib) || lines.get(0).contains(eofFile)),
                "worst first: " + lines.get(0));
        long blocks = lines.stream().filter(l -> l.startsWith("CRITICAL /") || l.startsWith("WARNING /")).count();
        assertEquals(4, blocks, "one block per broken file (cp, renamed, deleted, past EOF): " + r.out());
        assertEquals(0, lines.stream().filter(l -> l.startsWith("== pid ")).count(), "per-process detail only with --verbose");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Restart: ")), r.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("CRITICAL: 6 processes inspected"), lines.get(lines.size() - 1));
        Cli.Result verbose = Cli.run(pidArgs("check", "--verbose"));
        assertEquals(6, verbose.outLines().stream().filter(l -> l.startsWith("== pid ")).count(), verbose.out());
    }

    @Test
    void nagios() {
        Cli.Result r = Cli.run(pidArgs("check", "--format", "nagios"));
        assertEquals(2, r.rc());
        String first = r.outLines().get(0);
        assertTrue(first.startsWith("LMINSPECT CRITICAL - 2 processes critical, 2 warning"), first);
        assertTrue(first.matches(".*\\| processes=6 skipped=0 critical=2 warning=2 clean=\\d+ duration=[0-9.]+s"), first);
        Cli.Result healthy = Cli.run("check", "--format", "nagios", Integer.toString(procs.get("healthy").pid()));
        assertEquals(0, healthy.rc());
        assertTrue(healthy.outLines().get(0).startsWith("LMINSPECT OK - "), healthy.out());
    }

    static final Pattern SAMPLE = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? -?[0-9]+(\\.[0-9]+)?$");

    @Test
    void prometheusIsValidExpositionWithExplicitZerosAndWrittenAtomically() throws Exception {
        Path prom = scratch.resolve("lminspect.prom");
        Cli.Result r = Cli.run(pidArgs("check", "--format", "prometheus", "--output", prom.toString()));
        assertEquals(2, r.rc());
        assertEquals("", r.out(), "--output writes the file, not stdout");
        List<String> lines = Files.readAllLines(prom);
        Set<String> typed = new HashSet<>();
        for (String l : lines) {
            if (l.startsWith("# TYPE ")) typed.add(l.split(" ")[2]);
            else if (!l.startsWith("# HELP ")) assertTrue(SAMPLE.matcher(l).matches(), "not exposition format: " + l);
        }
        for (String l : lines) if (!l.startsWith("#")) assertTrue(typed.contains(l.split("[{ ]")[0]), "TYPE line for " + l);
        assertTrue(lines.contains("lminspect_findings{code=\"VERSION_UNSATISFIED\"} 0"), "explicit zero");
        assertTrue(lines.contains("lminspect_findings{code=\"FILE_REPLACED\"} 1"));
        assertTrue(lines.contains("lminspect_processes_scanned 6"));
        try (Stream<Path> s = Files.list(scratch)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left behind");
        }
    }

    @Test
    void allIncludesThemAllAndSkipsKernelThreads() {
        Cli.Result r = Cli.run("check", "--all", "--format", "json");
        Map<String, Object> doc = JsonDoc.parse(r.out());
        Set<Long> pids = new HashSet<>();
        for (Map<String, Object> p : JsonDoc.list(doc, "processes")) pids.add((Long) JsonDoc.obj(p, "target").get("pid"));
        for (TestProcess p : procs.values()) assertTrue(pids.contains((long) p.pid()), "pid " + p.pid() + " in --all");
        assertTrue(JsonDoc.list(doc, "skipped").stream().anyMatch(s -> "kernel thread".equals(s.get("reason"))));
        assertEquals(2, r.rc());
    }

    @Test
    void aJvmIsNotFlaggedForJnasUnlinkedTempLibrary() {
        Cli.Result r = Cli.run("check", "--format", "json", Long.toString(ProcessHandle.current().pid()));
        Map<String, Object> doc = JsonDoc.parse(r.out());
        Map<String, Object> me = JsonDoc.list(doc, "processes").get(0);
        for (Map<String, Object> f : JsonDoc.list(me, "findings")) assertEquals("info", f.get("severity"), f.toString());
        assertEquals(0, r.rc());
    }

    @Test
    void whoMapsByInode() {
        Path lib = scratch.resolve("healthy/libv.so.2");
        Cli.Result r = Cli.run("who-maps", "--json", lib.toString());
        assertEquals(1, r.rc());
        Map<String, Object> f = JsonDoc.list(JsonDoc.parse(r.out()), "files").get(0);
        List<Map<String, Object>> ps = JsonDoc.list(f, "processes");
        assertEquals(1, ps.size(), "only the healthy victim maps this inode: " + ps);
        assertEquals((long) procs.get("healthy").pid(), ps.get(0).get("pid"));
        assertTrue(!JsonDoc.list(ps.get(0), "ranges").isEmpty());

        // the renamed-over path is a new inode nobody maps, although a process maps the old one
        // nobody maps the new inode: 0, or 3 where some process cannot be read even by root (a sandbox's pid 1):
        // then "nobody" would be a claim about processes not read
        Cli.Result none = Cli.run("who-maps", scratch.resolve("renamed/libv.so.2").toString());
        if (none.rc() == 3) Cli.assertOneLineError(none, "could not be read");
        else assertEquals(0, none.rc(), none.out() + none.err());
        assertEquals(3, Cli.run("who-maps", scratch.resolve("nope").toString()).rc());
    }

    @Test
    void badSelection() {
        assertEquals(3, Cli.run("check").rc());
        assertEquals(3, Cli.run("check", "2147483646").rc());
        assertEquals(3, Cli.run("check", "--format", "xml", "1").rc());
    }

    /** --exe and --service narrow the processes, each repeatable; a service glob matches the tree a process belongs to. */
    @Test
    void exeAndServiceNarrowTheScan() {
        Cli.Result byExe = Cli.run("check", "--format", "json", "--exe", "tp_mapfile", "--exe", "no-such-program");
        Map<String, Object> doc = JsonDoc.parse(byExe.out());
        Set<Long> pids = new HashSet<>();
        for (Map<String, Object> p : JsonDoc.list(doc, "processes")) pids.add((Long) JsonDoc.obj(p, "target").get("pid"));
        assertTrue(pids.contains((long) procs.get("pasteof").pid()) && pids.contains((long) procs.get("memfd").pid()), pids.toString());
        assertTrue(!pids.contains((long) procs.get("cp").pid()), "only tp_mapfile: " + pids);

        int healthy = procs.get("healthy").pid();
        Cli.Result byService = Cli.run("check", "--format", "json", "--service", "tp_victim (pid " + healthy + ")", "--service", "nothing-*");
        Map<String, Object> sdoc = JsonDoc.parse(byService.out());
        assertEquals(List.of((long) healthy), JsonDoc.list(sdoc, "processes").stream().map(p -> JsonDoc.obj(p, "target").get("pid")).toList(),
                byService.out());
        Cli.assertOneLineError(Cli.run("check", "--service", "no-such-*"), "no-such-*");
    }
}
