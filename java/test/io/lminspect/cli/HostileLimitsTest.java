package io.lminspect.cli;

import io.lminspect.support.Await;
import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.CoreDumps;
import io.lminspect.support.Env;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The smaller limits a hostile input or a careless command line runs into: each a clear line and
 * exit 3, or a finding, never an OutOfMemoryError or a wrong answer.
 */
class HostileLimitsTest {
    @TempDir
    Path dir;

    @Test
    void jobsOutOfRangeIsRefused() {
        Cli.assertOneLineError(Cli.run("check", "--all", "--jobs", "0"), "--jobs 0");
        Cli.assertOneLineError(Cli.run("check", "--all", "--jobs", "-5"), "--jobs -5");
    }

    @Test
    void preflightOfADirectorySaysSo() throws Exception {
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            Cli.assertOneLineError(Cli.run("preflight", Integer.toString(v.pid()), "/tmp"), "is a directory");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aHugeDecodeLineIsRefusedNotRead() throws Exception {
        Cli.Result r = Cli.exec(List.of("sh", "-c", "head -c 300000000 /dev/zero | tr '\\0' a | " + Build.launcher() + " decode -"), 120);
        Cli.assertOneLineError(r, "a line of more than 65536 characters");
    }

    /** A sparse core whose PT_NOTE segments add up past the notes budget: one line, not an OutOfMemoryError. */
    @Test
    void notesPastTheirBudgetInAllAreRefused() throws Exception {
        Env.assumeGcore();
        byte[] good;
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            good = Files.readAllBytes(CoreDumps.gcore(v.pid(), dir));
        }
        ByteBuffer b = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
        int notePh = CoreDumps.phdrOffset(good, 4), loadPh = CoreDumps.phdrOffset(good, 1);
        long seg = 40L << 20, base = (good.length + 4095L) & ~4095L;
        // two notes segments of 40 MiB each (the second was a PT_LOAD), past the file's real bytes in a sparse tail
        b.putLong(notePh + 8, base);
        b.putLong(notePh + 32, seg);
        b.putInt(loadPh, 4);
        b.putLong(loadPh + 8, base + seg);
        b.putLong(loadPh + 32, seg);
        Path core = dir.resolve("notes.core");
        Files.write(core, good);
        try (RandomAccessFile f = new RandomAccessFile(core.toFile(), "rw")) {
            f.setLength(base + 2 * seg);
        }
        Cli.assertOneLineError(Cli.run("core", core.toString()), "notes segments of more than 64 MiB in all");
    }

    /** A process replacing its program every 2 ms: every answer is a report or a clear cut, never an exception. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aProcessThatExecsAllTheTimeGetsAnAnswerEachTime() throws Exception {
        try (TestProcess p = TestProcess.start(Build.testprog("tp_execloop").toString())) {
            for (int i = 0; i < 20; i++) {
                Cli.Result r = Cli.run("attach", "--json", Integer.toString(p.pid()));
                assertTrue(r.rc() <= 3, r.err());
                if (r.rc() == 3) {
                    Cli.assertOneLineError(r, "process");
                    continue;
                }
                assertTrue(!r.err().contains("internal error"), r.err());
                JsonDoc.parse(r.out()); // a whole document
            }
        }
    }

    /** Under nohup, or `cmd &` from a script, SIGHUP/SIGINT arrive ignored: watch still stops on SIGINT. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void watchStopsOnSigintEvenWhenItWasInheritedIgnored() throws Exception {
        Env.assumeRoot("watch needs root");
        Path out = dir.resolve("watch.out");
        Process w = new ProcessBuilder("sh", "-c", "trap '' INT HUP; exec " + Build.launcher() + " watch --json > " + out + " 2>&1").start();
        try {
            Await.until(60_000, () -> Files.readString(out).contains("\"watching\""));
            assumeTrue(Files.readString(out).contains("\"watching\""), "SKIPPED: watch did not start here: " + Files.readString(out));
            new ProcessBuilder("kill", "-INT", Long.toString(w.pid())).start().waitFor();
            assertTrue(w.waitFor(10, TimeUnit.SECONDS), "SIGINT stopped the watch although it arrived ignored");
            assertEquals(0, w.exitValue());
        } finally {
            w.destroyForcibly();
        }
    }

    /** A client that sends one byte and waits cannot hold /metrics; HEAD gets headers and no JDK warning. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSlowClientDoesNotStopMetrics() throws Exception {
        Env.assumeRoot("watch needs root");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve("watch.out"), err = dir.resolve("watch.err");
        Process w = new ProcessBuilder(Build.launcher().toString(), "watch", "--json", "--listen", "127.0.0.1:" + port)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (java.net.Socket slow = new java.net.Socket()) {
            Await.until(60_000, () -> Files.readString(out).contains("\"watching\""));
            assumeTrue(Files.readString(out).contains("\"watching\""), "SKIPPED: watch did not start here: " + Files.readString(err));
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            slow.getOutputStream().write('G'); // and nothing more
            slow.getOutputStream().flush();
            var client = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
            var get = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(java.time.Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, get.statusCode());
            assertTrue(get.body().contains("lminspect_"), "metrics served while a slow client is connected");
            var head = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertEquals(200, head.statusCode());
            Thread.sleep(200); // a window for a late JDK warning on stderr: its absence is what is asserted
            String e = Files.readString(err);
            assertTrue(!e.contains("WARNING") && !e.contains("sendResponseHeaders") && !e.contains("Exception"), "no JDK warning: " + e);
        } finally {
            w.destroy();
            w.waitFor(10, TimeUnit.SECONDS);
            w.destroyForcibly();
        }
    }

    /** A hook that never reads its stdin and never ends does not outlive the watch that started it. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void noHookOutlivesTheWatch() throws Exception {
        Env.assumeRoot("watch needs root");
        Path lib = Files.createDirectories(Build.scratchOutsideTemp().resolve("hook-" + ProcessHandle.current().pid())).resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path out = dir.resolve("watch.out");
        String marker = "317." + ProcessHandle.current().pid(); // a sleep nobody else runs
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            Process w = new ProcessBuilder(Build.launcher().toString(), "watch", "--json", "--exec", "sleep " + marker)
                    .redirectOutput(out.toFile()).redirectError(dir.resolve("watch.err").toFile()).start();
            try {
                Await.until(60_000, () -> Files.readString(out).contains("\"watching\""));
                assumeTrue(Files.readString(out).contains("\"watching\""), "SKIPPED: watch did not start here");
                byte[] same = Files.readAllBytes(lib);
                try (java.io.FileOutputStream o = new java.io.FileOutputStream(lib.toFile())) {
                    o.write(same);
                }
                Await.until(20_000, () -> Files.readString(out).contains("\"change\""));
                assertTrue(Files.readString(out).contains("\"change\""), "an event: " + Files.readString(out));
                Await.until(5000, () -> hooks(marker) > 0);
                assertTrue(hooks(marker) > 0, "the hook runs");
                w.destroy(); // SIGTERM
                assertTrue(w.waitFor(15, TimeUnit.SECONDS), "the watch stopped");
                Await.until(5000, () -> hooks(marker) == 0);
                assertEquals(0, hooks(marker), "no hook outlives the watch");
            } finally {
                w.destroyForcibly();
                new ProcessBuilder("pkill", "-f", "sleep " + marker).start().waitFor();
            }
        }
    }

    private static long hooks(String marker) {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains("sleep " + marker)).count();
    }
}
