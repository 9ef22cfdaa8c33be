package io.lminspect.watch;

import io.lminspect.support.Await;
import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Env;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One real watch (fanotify, as root) over real processes, each scenario in a directory
 * of its own: a library cp-ed over, one renamed over, a MAP_SHARED file truncated,
 * unrelated files beside a mapped one, a process started after the watch began, a
 * storm of writes, a victim killed mid-event; then /metrics, --textfile, --exec,
 * SIGHUP and SIGTERM. Libraries live outside temp dirs (a deleted library in a temp
 * dir is only "info" by design).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchLiveTest {
    static final int SIGSEGV_STATUS = 128 + 11;
    static final long EVENT_MS = 20_000;
    static final Pattern SAMPLE = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? -?[0-9]+(\\.[0-9]+)?$");

    Path scratch;
    final Map<String, TestProcess> procs = new LinkedHashMap<>();
    final List<TestProcess> extra = new ArrayList<>();
    WatchProcess watch;
    int port;
    Path textfile;
    Path execOut;

    Path lib(String dir) {
        return scratch.resolve(dir).resolve("libv.so.2");
    }

    TestProcess victim(String dir) throws Exception {
        Path d = Files.createDirectories(scratch.resolve(dir));
        if (!Files.exists(d.resolve("libv.so.2"))) Files.copy(Build.testprog("libv.so"), d.resolve("libv.so.2"));
        return TestProcess.start(Build.testprog("tp_victim").toString(), d.resolve("libv.so.2").toString());
    }

    @BeforeAll
    void setUp() throws Exception {
        Env.assumeRoot("fanotify filesystem marks (CAP_SYS_ADMIN)");
        scratch = Build.scratchOutsideTemp().resolve("watch-" + ProcessHandle.current().pid());
        Files.createDirectories(scratch);
        for (String d : List.of("cp", "cp2", "renamed", "unrelated", "storm", "killed", "alive", "writer")) {
            procs.put(d, victim(d.equals("cp2") ? "cp" : d));
        }
        Path data = Files.createDirectories(scratch.resolve("trunc")).resolve("cache.dat");
        Files.writeString(data, "x".repeat(71));
        procs.put("trunc", TestProcess.start(Build.testprog("tp_mapfile").toString(), "shared", data.toString()));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        textfile = scratch.resolve("watch.prom");
        execOut = scratch.resolve("exec.jsonl");
        Thread.sleep(200); // the services have been up a while before anything is installed
        watch = WatchProcess.start("--json", "--interval", "1s", "--listen", "127.0.0.1:" + port, "--textfile", textfile.toString(),
                "--exec", "tee -a '" + execOut + "'");
    }

    @AfterAll
    void tearDown() throws Exception {
        if (watch != null) watch.close();
        procs.values().forEach(TestProcess::close);
        extra.forEach(TestProcess::close);
        if (scratch != null) try (Stream<Path> s = Files.walk(scratch)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The watch's rescans so far, as its --textfile (written after every rescan) says. */
    long rescans() throws Exception {
        for (String l : Files.readAllLines(textfile))
            if (l.startsWith("lminspect_watch_rescans_total ")) return Long.parseLong(l.substring(l.indexOf(' ') + 1).trim());
        return 0;
    }

    /** Waits until n more rescans have run: one begun after this call is then complete. */
    void awaitRescans(int n) throws Exception {
        long target = rescans() + n;
        assertTrue(Await.until(10_000, () -> rescans() >= target), "the watch rescanned " + n + " more times");
    }

    static Set<Long> pids(Map<String, Object> event) {
        Set<Long> out = new HashSet<>();
        for (Map<String, Object> p : JsonDoc.list(event, "processes")) out.add((Long) p.get("pid"));
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<String> codes(Map<String, Object> event) {
        return (List<String>) event.get("codes");
    }

    @Test
    @Order(1)
    void startsWithOneWatchingLine() {
        Map<String, Object> w = JsonDoc.parse(watch.firstLine);
        assertEquals("watching", w.get("event"));
        assertEquals("fanotify", w.get("mechanism"));
        assertTrue((Long) w.get("processes") >= procs.size(), watch.firstLine);
        assertTrue((Long) w.get("files") >= 3, watch.firstLine);
    }

    @Test
    @Order(2)
    void cpOverAMappedLibraryIsCriticalAndNamesEveryMapperBeforeTheNextDlopen() throws Exception {
        Path lib = lib("cp");
        Installer.cpSameBytesOver(lib);
        Map<String, Object> e = watch.awaitChange(lib.toString(), EVENT_MS);
        assertNotNull(e, "an event for " + lib + "; stdout " + watch.out() + " stderr " + watch.err());
        assertEquals("written", e.get("change"));
        assertEquals("critical", e.get("severity"));
        assertTrue(codes(e).contains("SONAME_UNMAPPED"), e.toString());
        assertEquals(Set.of((long) procs.get("cp").pid(), (long) procs.get("cp2").pid()), pids(e), "every process that maps it");
        assertTrue(e.get("time").toString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"), e.toString());
        assertTrue((Long) e.get("inode") > 0 && e.get("dev").toString().matches("[0-9a-f]+:[0-9a-f]+"), e.toString());
        assertTrue((Long) e.get("latency_ms") >= 0);
        assertNotNull(JsonDoc.obj(JsonDoc.list(e, "processes").get(0), "service").get("name"));
        // the writer, as fanotify named it: a cp of a small file has usually exited before the notification is read
        Object writer = e.get("writer");
        if (writer == null) assertTrue(String.valueOf(e.get("writer_unknown")).contains("exited before it could be named"), e.toString());
        else assertEquals("cp", ((Map<?, ?>) writer).get("comm"), e.toString());
        // the event was right: their next dlopen crashes
        for (String k : List.of("cp", "cp2")) {
            procs.get(k).signal("USR1");
            assertEquals(SIGSEGV_STATUS, procs.get(k).awaitExit(10_000), "victim output: " + procs.get(k).lines());
        }
    }

    /** A writer still running when the notification is read is named: pid, exe, comm and service (here, this JVM). */
    @Test
    @Order(2)
    void theWriterIsNamed() throws Exception {
        Path lib = lib("writer");
        byte[] same = Files.readAllBytes(lib);
        try (java.io.FileOutputStream o = new java.io.FileOutputStream(lib.toFile())) { // O_TRUNC: the mapped inode
            o.write(same);
        }
        Map<String, Object> e = watch.awaitChange(lib.toString(), EVENT_MS);
        assertNotNull(e, "an event for " + lib + "; stdout " + watch.out());
        Map<String, Object> writer = JsonDoc.obj(e, "writer");
        assertNotNull(writer, "the writer is named: " + e);
        assertEquals(ProcessHandle.current().pid(), ((Number) writer.get("pid")).longValue(), e.toString());
        assertEquals("java", writer.get("comm"), e.toString());
        assertTrue(String.valueOf(writer.get("exe")).endsWith("/java"), e.toString());
    }

    @Test
    @Order(3)
    void renameOverAMappedLibraryIsFileReplaced() throws Exception {
        Path lib = lib("renamed");
        Installer.renameOver(Build.testprog("libv_big.so"), lib);
        Map<String, Object> e = watch.awaitChange(lib.toString(), EVENT_MS);
        assertNotNull(e, "stdout " + watch.out());
        assertEquals("replaced", e.get("change"));
        assertEquals("warning", e.get("severity"));
        assertTrue(codes(e).contains("FILE_REPLACED"), e.toString());
        assertEquals(Set.of((long) procs.get("renamed").pid()), pids(e));
    }

    @Test
    @Order(4)
    void truncatingASharedMappingIsMappingPastEof() throws Exception {
        Path data = scratch.resolve("trunc/cache.dat");
        assertEquals(0, Cli.exec(List.of("truncate", "-s", "0", data.toString()), 30).rc());
        Map<String, Object> e = watch.awaitChange(data.toString(), EVENT_MS);
        assertNotNull(e, "stdout " + watch.out());
        assertEquals("truncated", e.get("change"));
        assertEquals("critical", e.get("severity"));
        assertTrue(codes(e).contains("MAPPING_PAST_EOF"), e.toString());
        assertEquals(Set.of((long) procs.get("trunc").pid()), pids(e));
    }

    @Test
    @Order(5)
    void unrelatedFilesBesideAMappedOneGiveNothing() throws Exception {
        Path dir = scratch.resolve("unrelated");
        Files.writeString(dir.resolve("notes.txt"), "hello");
        Files.copy(Build.testprog("libv.so"), dir.resolve("other.so"));
        Installer.cpOver(Build.testprog("libv_big.so"), dir.resolve("other.so"));
        Files.move(dir.resolve("other.so"), dir.resolve("other2.so"));
        Cli.exec(List.of("truncate", "-s", "0", dir.resolve("notes.txt").toString()), 30);
        Files.delete(dir.resolve("other2.so"));
        Files.delete(dir.resolve("notes.txt"));
        // then one change to the mapped library, whose event must come after anything the others caused
        Files.delete(lib("unrelated"));
        Map<String, Object> e = watch.awaitChange(lib("unrelated").toString(), EVENT_MS);
        assertNotNull(e, "stdout " + watch.out());
        assertEquals("deleted", e.get("change"));
        assertTrue(codes(e).contains("FILE_DELETED"), e.toString());
        for (String l : watch.out())
            if (l.contains("\"change\"")) assertFalse(JsonDoc.parse(l).get("file").toString().startsWith(dir + "/") && !l.contains("libv.so.2"), l);
    }

    @Test
    @Order(6)
    void aProcessStartedAfterTheWatchBeganIsPickedUpByTheRescan() throws Exception {
        TestProcess late = victim("late");
        extra.add(late);
        awaitRescans(2); // one that began after the process started has completed
        Installer.cpSameBytesOver(lib("late"));
        Map<String, Object> e = watch.awaitChange(lib("late").toString(), EVENT_MS);
        assertNotNull(e, "stdout " + watch.out());
        assertEquals("critical", e.get("severity"));
        assertEquals(Set.of((long) late.pid()), pids(e));
    }

    @Test
    @Order(7)
    void aStormOfWritesGivesABoundedNumberOfEvents() throws Exception {
        Path lib = lib("storm");
        byte[] bytes = Files.readAllBytes(Build.testprog("libv.so"));
        long t0 = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            Files.write(lib, bytes); // O_TRUNC + write + close, as cp does: 500 times
            if (i % 5 == 0) Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertNotNull(watch.awaitChange(lib.toString(), EVENT_MS));
        // a bound on events is checked over a window: whatever the coalescing still holds comes out within it
        Thread.sleep(3000);
        int n = watch.changes(lib.toString()).size();
        assertTrue(n >= 1 && n <= 3 + (int) Math.ceil(seconds), n + " events for 500 writes in " + seconds + " s");
    }

    @Test
    @Order(8)
    void killingAVictimMidEventCrashesNothing() throws Exception {
        Path lib = lib("killed");
        List<TestProcess> more = new ArrayList<>();
        for (int i = 0; i < 5; i++) more.add(TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString()));
        awaitRescans(2); // indexed by a rescan
        Installer.cpSameBytesOver(lib);
        procs.get("killed").close(); // SIGKILL, while the watch is reading its maps or memory
        for (TestProcess p : more) p.close();
        awaitRescans(2); // the exits seen, and the event for the killed ones dispatched or dropped
        assertTrue(watch.alive(), "the watch lives on");
        for (String l : watch.err()) assertFalse(l.contains("Exception") || l.contains("\tat "), "no stack trace: " + watch.err());
        // and still reports
        Installer.cpSameBytesOver(lib("alive"));
        Map<String, Object> e = watch.awaitChange(lib("alive").toString(), EVENT_MS);
        assertNotNull(e, "stdout " + watch.out() + " stderr " + watch.err());
        assertEquals(Set.of((long) procs.get("alive").pid()), pids(e));
    }

    static String get(String url, int[] status) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10_000);
        status[0] = c.getResponseCode();
        try (var in = status[0] < 400 ? c.getInputStream() : c.getErrorStream()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void assertExposition(List<String> lines) {
        Set<String> typed = new HashSet<>();
        for (String l : lines) {
            if (l.startsWith("# TYPE ")) typed.add(l.split(" ")[2]);
            else if (!l.startsWith("# HELP ")) assertTrue(SAMPLE.matcher(l).matches(), "not exposition format: " + l);
        }
        for (String l : lines) if (!l.startsWith("#")) assertTrue(typed.contains(l.split("[{ ]")[0]), "TYPE line for " + l);
    }

    @Test
    @Order(9)
    void metricsAreServedOnlyAtGetMetricsAndParse() throws Exception {
        int[] st = new int[1];
        String body = get("http://127.0.0.1:" + port + "/metrics", st);
        assertEquals(200, st[0]);
        List<String> lines = List.of(body.split("\n"));
        assertExposition(lines);
        assertTrue(lines.contains("lminspect_findings{code=\"VERSION_UNSATISFIED\"} 0"), "check's metrics, explicit zeros");
        assertTrue(lines.stream().anyMatch(l -> l.matches("lminspect_findings\\{code=\"SONAME_UNMAPPED\"\\} [1-9]\\d*")), body);
        assertTrue(lines.stream().anyMatch(l -> l.matches("lminspect_watch_events_total\\{change=\"written\"\\} [1-9]\\d*")), body);
        assertTrue(lines.stream().anyMatch(l -> l.matches("lminspect_watch_rescans_total [1-9]\\d*")), body);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("lminspect_watch_rescan_duration_seconds ")), body);
        get("http://127.0.0.1:" + port + "/", st);
        assertEquals(404, st[0]);
        get("http://127.0.0.1:" + port + "/metrics/../etc", st);
        assertEquals(404, st[0]);
        HttpURLConnection post = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/metrics").openConnection();
        post.setRequestMethod("POST");
        assertEquals(404, post.getResponseCode());

        List<String> file = Files.readAllLines(textfile);
        assertExposition(file);
        assertTrue(file.stream().anyMatch(l -> l.startsWith("lminspect_watch_events_total{change=\"written\"} ")));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(textfile)));
        try (Stream<Path> s = Files.list(scratch)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left behind");
        }
    }

    @Test
    @Order(10)
    void execGetsEachEventOnItsStdin() throws Exception {
        String cpLib = "\"file\":\"" + lib("cp") + "\"";
        Await.until(EVENT_MS, () -> Files.readString(execOut).contains(cpLib));
        List<String> lines = Files.readAllLines(execOut);
        assertTrue(lines.stream().anyMatch(l -> l.contains(cpLib)), "the cp event reached --exec: " + lines);
        for (String l : lines) assertEquals("change", JsonDoc.parse(l).get("event"));
    }

    @Test
    @Order(11)
    void sighupRescansEverything() throws Exception {
        int[] st = new int[1];
        String before = stamp(get("http://127.0.0.1:" + port + "/metrics", st));
        watch.signal("HUP");
        assertTrue(Await.until(EVENT_MS, () -> !stamp(get("http://127.0.0.1:" + port + "/metrics", st)).equals(before)),
                "the full scan's timestamp moved after SIGHUP");
        assertTrue(watch.alive());
    }

    static String stamp(String metrics) {
        for (String l : metrics.split("\n")) if (l.startsWith("lminspect_last_scan_timestamp_seconds ")) return l;
        throw new AssertionError("no lminspect_last_scan_timestamp_seconds in " + metrics);
    }

    @Test
    @Order(100)
    void sigtermExitsZeroWithinASecond() throws Exception {
        long[] r = watch.terminate();
        assertEquals(0, r[0], "exit status; stderr " + watch.err());
        assertTrue(r[1] < 1000, "exited after " + r[1] + " ms");
    }
}
