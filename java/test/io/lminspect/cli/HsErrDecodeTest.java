package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.Schemas;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * decode of a HotSpot fatal error log, on logs real JVMs wrote while dying of the two JVM
 * incidents: a JNI library overwritten in place under a JVM, then the next System.load
 * (ld.so crashes in strcmp), and a file mapped by native code truncated by another writer,
 * then read (SIGBUS). On this machine's JDK 17 and, when installed, Temurin 25.
 */
class HsErrDecodeTest {
    static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    static Stream<String> jdks() {
        return Stream.of("17", "25");
    }

    private static String java(String jdk) {
        if (jdk.equals("25")) {
            assumeTrue(Files.isExecutable(TEMURIN_25), "SKIPPED: Temurin 25 is not installed at " + TEMURIN_25);
            return TEMURIN_25.toString();
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The child JVM, its error log in dir; core dumps off (the log is what JVM users have). */
    private static TestProcess crasher(String jdk, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(jdk), "-XX:ErrorFile=" + dir + "/hs_err_pid%p.log", "-XX:-CreateCoredumpOnCrash",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "io.lminspect.support.HsErrCrasher"));
        cmd.addAll(List.of(args));
        if (jdk.equals("17")) cmd.remove("--enable-native-access=ALL-UNNAMED");
        return TestProcess.start(cmd.toArray(new String[0]));
    }

    /** Lets the child go on, waits for it to die, and returns its error log. */
    private static Path crash(TestProcess p, Path dir) throws Exception {
        p.process().getOutputStream().write("go\n".getBytes());
        p.process().getOutputStream().flush();
        assertTrue(p.process().waitFor(60, TimeUnit.SECONDS), "the JVM died: " + p.lines());
        Path log = dir.resolve("hs_err_pid" + p.pid() + ".log");
        assertTrue(Files.exists(log), "HotSpot wrote " + log + ": " + p.lines());
        return log;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aJniLibraryOverwrittenInPlaceThenSystemLoadIsNamed(String jdk) throws Exception {
        Path dir = Files.createDirectories(Build.scratchOutsideTemp().resolve("hs-" + jdk + "-" + ProcessHandle.current().pid()));
        try {
            Path lib = Files.copy(Build.testprog("libv.so"), dir.resolve("libsqlitejdbc.so"));
            Path log;
            try (TestProcess jvm = crasher(jdk, dir, "overwrite", lib.toString(), Build.testprog("libnos.so").toString())) {
                Thread.sleep(500); // a second JVM extracts the same fixed-name library a moment later
                Installer.cpOver(Build.testprog("libv_big.so"), lib);
                log = crash(jvm, dir);
            }
            Cli.Result r = Cli.run("decode", "--json", log.toString());
            assertEquals(2, r.rc(), r.err() + r.out());
            Schemas.assertValid("decode-hs-err.json", r.out());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            Map<String, Object> crash = JsonDoc.obj(doc, "crash");
            assertEquals("SIGSEGV", crash.get("signal_name"));
            assertTrue(String.valueOf(crash.get("pc_object")).contains("ld-linux-x86-64.so.2"), crash.toString());
            assertEquals("java.lang.System.load", crash.get("caller"));
            assertTrue(String.valueOf(crash.get("explanation")).contains("overwritten-library crash"), crash.toString());
            Map<String, Object> f = JsonDoc.list(doc, "findings").get(0);
            assertEquals("critical", f.get("severity"));
            assertEquals("FILE_REWRITTEN_IN_PLACE", f.get("code"));
            assertEquals(lib.toString(), f.get("object"));
            assertTrue(JsonDoc.list(doc, "libraries").stream().anyMatch(l -> lib.toString().equals(l.get("path")) && "rewritten".equals(l.get("today"))));

            Cli.Result text = Cli.run("decode", log.toString());
            assertEquals(2, text.rc());
            assertTrue(text.out().contains("CRITICAL " + lib), text.out());
            assertTrue(text.out().contains("called from java.lang.System.load"), text.out());
        } finally {
            delete(dir);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aMappedFileTruncatedUnderNativeCodeIsMappingPastEof(String jdk) throws Exception {
        Path dir = Files.createDirectories(Build.scratchOutsideTemp().resolve("hsbus-" + jdk + "-" + ProcessHandle.current().pid()));
        try {
            Path store = dir.resolve("data.mdb");
            Files.write(store, new byte[1 << 20]);
            Path log;
            try (TestProcess jvm = crasher(jdk, dir, "truncate", store.toString())) {
                try (FileChannel ch = FileChannel.open(store, StandardOpenOption.WRITE)) {
                    ch.truncate(4096); // another writer shrinks the store
                }
                log = crash(jvm, dir);
            }
            Cli.Result r = Cli.run("decode", "--json", log.toString());
            assertEquals(2, r.rc(), r.err() + r.out());
            Schemas.assertValid("decode-hs-err.json", r.out());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            assertEquals("SIGBUS", JsonDoc.obj(doc, "crash").get("signal_name"));
            Map<String, Object> f = JsonDoc.list(doc, "findings").get(0);
            assertEquals("critical", f.get("severity"));
            assertEquals("MAPPING_PAST_EOF", f.get("code"));
            assertEquals(store.toString(), f.get("object"));
            assertTrue(String.valueOf(JsonDoc.obj(doc, "crash").get("explanation")).contains("truncated"), doc.toString());
        } finally {
            delete(dir);
        }
    }

    /** JDK 8's layout: the old siginfo form and the elapsed time on a line of its own; read from stdin. */
    @Test
    void jdk8LayoutFromStdin() throws Exception {
        String log = String.join("\n",
                "#", "# A fatal error has been detected by the Java Runtime Environment:", "#",
                "#  SIGBUS (0x7) at pc=0x00007f1c2d6b1a2f, pid=4242, tid=0x00007f1c2e8f7700", "#",
                "# JRE version: OpenJDK Runtime Environment (8.0_392-b08) (build 1.8.0_392-b08)",
                "# Problematic frame:", "# C  [libc.so.6+0x18ba2f]", "",
                "Current thread (0x00007f1c28009800):  JavaThread \"main\" [_thread_in_native, id=4243, stack(0x1,0x2)]", "",
                "siginfo: si_signo=SIGBUS: si_errno=0, si_code=2 (BUS_ADRERR), si_addr=0x00007f1c20001000", "",
                "Dynamic libraries:",
                "7f1c20000000-7f1c20100000 r--s 00000000 fe:00 99999999 /nonexistent/lminspect-test/store.dat",
                "not a maps line", "",
                "time: Thu Dec  3 12:00:00 2026", "elapsed time: 12 seconds (0d 0h 0m 12s)", "");
        Cli.Result r = Cli.runWithStdin(log, "decode", "--json", "-");
        assertEquals(0, r.rc(), r.err() + r.out());
        Schemas.assertValid("decode-hs-err.json", r.out());
        Map<String, Object> doc = JsonDoc.parse(r.out());
        Map<String, Object> crash = JsonDoc.obj(doc, "crash");
        assertEquals("SIGBUS", crash.get("signal_name"));
        assertEquals("BUS_ADRERR", crash.get("code"));
        assertEquals("0x7f1c20001000", crash.get("address"));
        assertEquals(4243L, crash.get("thread"));
        Map<String, Object> h = JsonDoc.obj(doc, "hs_err");
        assertEquals(null, h.get("file"));
        assertEquals("C  [libc.so.6+0x18ba2f]", h.get("problematic_frame"));
        assertEquals(1, JsonDoc.list(doc, "libraries").size());
        assertEquals("deleted", JsonDoc.list(doc, "libraries").get(0).get("today"), "no file at that path today");
        assertTrue(JsonDoc.list(doc, "findings").isEmpty(), "a data file gone (not code) is no finding");
    }

    @Test
    void aFileThatIsNeitherLogIsAOneLineError() throws Exception {
        Path f = Files.writeString(Files.createTempFile("not-a-log", ".txt"), "hello\nworld\n");
        try {
            Cli.Result r = Cli.run("decode", "--json", f.toString());
            assertEquals(3, r.rc());
            Cli.assertOneLineError(r, "neither a kernel log");
        } finally {
            Files.delete(f);
        }
    }

    private static void delete(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
