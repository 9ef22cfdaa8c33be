package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Env;
import io.lminspect.support.Cli;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Strings, paths and PIDs controlled by someone else (docs/design.md, rules 2-4). */
class HostileInputTest {
    @TempDir
    Path dir;

    /**
     * A library whose path holds a newline, terminal escapes and invalid UTF-8, 4 KiB
     * deep: escaped in text, valid in JSON, capped. The names are made by the shell:
     * Java cannot write invalid UTF-8 file names.
     */
    @Test
    void hostileLibraryPathsAreEscapedAndCapped() throws Exception {
        Path deep = dir;
        StringBuilder sb = new StringBuilder(dir.toString());
        while (sb.length() < 3900) sb.append('/').append("d".repeat(200));
        String deepDir = sb.toString();
        String script = "mkdir -p '" + deepDir + "' && f=\"" + dir + "/$(printf 'lib\\n\\033[2J\\033]0;x\\007\\377\\376.so')\" && cp "
                + Build.testprog("libv.so") + " \"$f\" && cp " + Build.testprog("libv_big.so") + " '" + deepDir + "/libdeep.so' && exec "
                + Build.testprog("tp_victim") + " \"$f\" '" + deepDir + "/libdeep.so'";
        try (TestProcess v = TestProcess.start("sh", "-c", script)) {
            Cli.Result text = Cli.run("attach", Integer.toString(v.pid()));
            assertEquals(0, text.rc(), "no false FILE_DELETED for a path with a newline (maps shows it as \\012): " + text.out());
            assertFalse(HostileChainTest.hasControlBytes(text.out()), "no raw control byte in text");
            assertTrue(text.out().contains("\\x1b[2J"), "escapes shown escaped: " + text.out());

            Cli.Result json = Cli.run("attach", "--json", Integer.toString(v.pid()));
            Map<String, Object> doc = JsonDoc.parse(json.out());
            boolean found = false;
            for (Map<String, Object> e : JsonDoc.list(doc, "entries")) {
                String n = (String) e.get("name");
                assertTrue(n.length() <= 600, "capped: " + n.length());
                assertFalse(HostileChainTest.hasControlBytes(n));
                if (n.contains("\\x1b")) found = true;
            }
            assertTrue(found, "the hostile library is listed (escaped)");
        }
        assertTrue(Files.exists(deep));
    }

    /**
     * A loaded library outside temp dirs whose name is UTF-8 (ä, 中) or not UTF-8 at all
     * (\377): neither may be reported deleted or replaced because its name did not
     * survive decoding.
     */
    @Test
    void nonAsciiLibraryNamesAreNotMistakenForDeletedFiles() throws Exception {
        Path scratch = Build.scratchOutsideTemp().resolve("names-" + ProcessHandle.current().pid());
        Files.createDirectories(scratch);
        String script = "a=\"" + scratch + "/$(printf 'lib\\303\\244\\344\\270\\255.so')\"; b=\"" + scratch + "/$(printf 'lib\\377.so')\"; cp "
                + Build.testprog("libv.so") + " \"$a\" && cp " + Build.testprog("libv_big.so") + " \"$b\" && exec " + Build.testprog("tp_victim")
                + " \"$a\" \"$b\"";
        try (TestProcess v = TestProcess.start("sh", "-c", script)) {
            Cli.Result r = Cli.run("check", "--format", "json", Integer.toString(v.pid()));
            assertEquals(0, r.rc(), r.out());
            assertTrue(r.out().contains("lib\u00e4\u4e2d.so") || r.out().contains("libä中.so"), "UTF-8 name decoded: " + r.out());
        } finally {
            Cli.exec(java.util.List.of("rm", "-rf", scratch.toString()), 30);
        }
    }

    /**
     * The path a library was mapped from now names a symlink to /etc/shadow, a FIFO,
     * or a device. lminspect must not open any of them (checked with strace on the
     * real launcher), must not block on the FIFO, and reports FILE_REPLACED.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void pathsNamedByTheTargetAreNeverOpenedBlindly() throws Exception {
        Env.assumeTool("strace", "strace");
        Env.assumeTool("mkfifo", "coreutils");
        Path scratch = Build.scratchOutsideTemp().resolve("paths-" + ProcessHandle.current().pid());
        Files.createDirectories(scratch);
        List<TestProcess> victims = new ArrayList<>();
        try {
            String[] kinds = {"shadow", "fifo", "device"};
            for (String k : kinds) {
                Path lib = scratch.resolve("lib" + k + ".so");
                Files.copy(Build.testprog("libv.so"), lib);
                victims.add(TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString()));
            }
            for (String k : kinds) Files.delete(scratch.resolve("lib" + k + ".so"));
            Files.createSymbolicLink(scratch.resolve("libshadow.so"), Path.of("/etc/shadow"));
            assertEquals(0, Cli.exec(List.of("mkfifo", scratch.resolve("libfifo.so").toString()), 10).rc());
            Files.createSymbolicLink(scratch.resolve("libdevice.so"), Path.of("/dev/zero"));

            Path log = scratch.resolve("strace.txt");
            List<String> args = new ArrayList<>(List.of("strace", "-f", "-qq", "-e", "trace=open,openat,openat2", "-o", log.toString(),
                    Build.launcher().toString(), "check", "--format", "json"));
            for (TestProcess v : victims) args.add(Integer.toString(v.pid()));
            Cli.Result r = Cli.exec(args, 100);
            assertTrue(r.rc() == 1 || r.rc() == 2, r.out() + r.err());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            for (Map<String, Object> p : JsonDoc.list(doc, "processes")) {
                boolean replaced = JsonDoc.list(p, "findings").stream().anyMatch(f -> "FILE_REPLACED".equals(f.get("code")));
                assertTrue(replaced, "FILE_REPLACED for " + JsonDoc.obj(p, "target").get("pid"));
            }
            List<String> opens = Files.readAllLines(log);
            for (String l : opens) {
                assertFalse(l.contains("/etc/shadow"), "opened /etc/shadow: " + l);
                assertFalse(l.contains("libfifo.so") || l.contains("libshadow.so") || l.contains("libdevice.so"), "opened a target-named path: " + l);
                assertFalse(l.contains("/dev/zero"), "opened a device: " + l);
            }
        } finally {
            victims.forEach(TestProcess::close);
            for (String k : new String[]{"shadow", "fifo", "device"}) Files.deleteIfExists(scratch.resolve("lib" + k + ".so"));
            Files.deleteIfExists(scratch.resolve("strace.txt"));
            Files.deleteIfExists(scratch);
        }
    }

    /**
     * PIDs die and are reused while a host scan runs: a report never attributes one
     * process's memory to another. Every reported process's main program (read from
     * its memory) must be the executable /proc named for that PID.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void pidReuseDuringAScanIsNeverMisattributed() throws Exception {
        // the loop runs while a marker file exists, so it ends by itself (no victim left behind)
        Path marker = Files.createTempFile("lmi-churn", ".run");
        try (TestProcess churn = TestProcess.startPlain("sh", "-c",
                "while [ -e " + marker + " ]; do " + Build.testprog("tp_victim") + " " + Build.testprog("libv.so")
                        + " >/dev/null & p=$!; /bin/true; kill -9 $p 2>/dev/null; wait $p 2>/dev/null; done")) {
            for (int i = 0; i < 5; i++) {
                Cli.Result r = Cli.run("check", "--all", "--format", "json");
                Map<String, Object> doc = JsonDoc.parse(r.out());
                // 3 only for a partial view (a process even root may not read, like some sandboxes' pid 1)
                assertTrue(r.rc() >= 0 && r.rc() <= 2 || r.rc() == 3 && ((Number) JsonDoc.obj(doc, "summary").get("unread")).intValue() > 0, r.err());
                for (Map<String, Object> p : JsonDoc.list(doc, "processes")) {
                    Map<String, Object> t = JsonDoc.obj(p, "target");
                    List<Map<String, Object>> entries = JsonDoc.list(p, "entries");
                    if (entries.isEmpty() || t.get("exe") == null) continue;
                    String mainPath = (String) entries.get(0).get("path");
                    String exe = ((String) t.get("exe")).replace(" (deleted)", "");
                    if (mainPath == null || !mainPath.startsWith("/")) continue;
                    assertEquals(Path.of(exe).toRealPath().toString(), Path.of(mainPath).toRealPath().toString(),
                            "pid " + t.get("pid") + ": memory of another process?");
                }
                for (Map<String, Object> s : JsonDoc.list(doc, "skipped"))
                    assertFalse(String.valueOf(s.get("reason")).startsWith("internal error"), s.toString());
            }
            Files.delete(marker);
            assertTrue(churn.process().waitFor(10, TimeUnit.SECONDS), "the churn loop ends once the marker is gone");
        } finally {
            Files.deleteIfExists(marker);
        }
    }
}
