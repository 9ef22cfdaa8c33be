package io.lminspect.cli;

import io.lminspect.elf.FileByteSource;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfVersions;
import io.lminspect.support.Await;
import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import io.lminspect.inferior.SafeFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a review against the five rules of docs/design.md found and reproduced, pinned down so it stays fixed. */
class AuditRegressionTest {
    @TempDir
    Path dir;

    /** A library whose verneed chain claims 65535 x 65535 records: bounded, in milliseconds. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void verneedChainBombIsBounded() throws Exception {
        int n = 131072, dyn = 0x100, str = 0x200, vn = 0x1000, size = vn + n * 16;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 3).putShort((short) 62).putInt(1).putLong(0).putLong(64).putLong(0).putInt(0)
                .putShort((short) 64).putShort((short) 56).putShort((short) 2).putShort((short) 64).putShort((short) 0).putShort((short) 0);
        b.position(64);
        b.putInt(1).putInt(4).putLong(0).putLong(0).putLong(0).putLong(size).putLong(size).putLong(0x1000);
        b.putInt(2).putInt(4).putLong(dyn).putLong(dyn).putLong(dyn).putLong(16 * 6).putLong(16 * 6).putLong(8);
        long[][] tags = {{5, str}, {10, 16}, {0x6ffffffeL, vn}, {0x6fffffffL, 65535}, {0, 0}};
        b.position(dyn);
        for (long[] t : tags) b.putLong(t[0]).putLong(t[1]);
        b.position(str + 1);
        b.put("libc.so.6".getBytes());
        for (int i = 0; i < n; i++) {
            b.position(vn + 16 * i);
            b.putShort((short) 1).putShort((short) 0xffff).putInt(1).putInt(0).putInt(16);
        }
        Path lib = dir.resolve("libevil_verneed.so");
        Files.write(lib, b.array());
        try (FileByteSource src = FileByteSource.open(lib)) {
            ElfVersions v = ElfVersions.of(ElfFile.parse(src), 0);
            assertTrue(v.needs().size() <= 65536, "bounded: " + v.needs().size());
        }
    }

    /** Cores whose auxv lies about AT_PHENT (32 in a 64-bit core; negative): a report or exit 3, never "internal error". */
    @Test
    void coresWithLyingPhentAreNotInternalErrors() throws Exception {
        for (String name : new String[]{"core-phent32", "core-phent-negative"}) {
            Path core = dir.resolve(name);
            Files.copy(Path.of(Build.root().toString(), "java/test-resources/io/lminspect/cli", name), core);
            Cli.Result r = Cli.run("core", core.toString());
            assertFalse(r.err().contains("internal error"), name + ": " + r.err());
            assertTrue(r.rc() == 3 ? r.err().strip().lines().count() == 1 : r.rc() <= 2, name + ": rc " + r.rc() + " " + r.err());
        }
    }

    /** A FIFO, a symlink or another inode where a regular file was expected: refused at once, never waited on. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void safeOpenNeverBlocksOnAFifoNorFollowsALastLink() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, Cli.exec(List.of("mkfifo", fifo.toString()), 10).rc());
        assertNull(SafeFiles.openRegular(fifo, -1, -1, false), "a FIFO is refused without blocking");
        Path real = dir.resolve("real");
        Files.writeString(real, "x");
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, real);
        assertNull(SafeFiles.openRegular(link, -1, -1, false), "a final symlink is not followed");
        long ino = (Long) Files.getAttribute(real, "unix:ino");
        assertNull(SafeFiles.openRegular(real, -1, ino + 1, false), "another inode is refused");
        try (var ch = SafeFiles.openRegular(real, -1, ino, false)) {
            assertNotNull(ch);
            assertEquals(1, ch.size());
        }
    }

    /** Processes that exited (zombies) are skipped, never reported with the files they no longer map. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void exitedProcessesAreSkippedNotReported() throws Exception {
        // a shell that starts victims, kills them and never reaps them: zombies
        String v = Build.testprog("tp_victim") + " " + Build.testprog("libv.so");
        try (TestProcess sh = TestProcess.start("sh", "-c", "for i in 1 2 3 4 5 6; do " + v + " >/dev/null & done; sleep 0.3; "
                + "ps -o pid= --ppid $$ | tr '\\n' ' ' | sed 's/^/victims /'; echo; echo ready $$; kill -9 $(ps -o pid= --ppid $$ | grep -v $$); sleep 60");
             TestProcess healthy = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            List<String> args = new ArrayList<>(List.of("check", "--format", "json", Integer.toString(healthy.pid())));
            for (String p : sh.awaitLine("victims ", 5000).substring(8).trim().split("\\s+")) if (!p.isEmpty()) args.add(p);
            Thread.sleep(300);
            Cli.Result r = Cli.run(args.toArray(new String[0]));
            assertEquals(0, r.rc(), r.out());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            assertEquals(1, JsonDoc.list(doc, "processes").size(), "only the live one inspected");
            assertTrue(JsonDoc.list(doc, "skipped").size() >= 5, "the exited ones skipped: " + doc.get("skipped"));
        }
    }

    /** Threads in D state cannot stop: the others are released within the deadline and nobody stays seized. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void regsWithThreadsInUninterruptibleSleep() throws Exception {
        try (TestProcess p = TestProcess.start("sh", "-c", Build.testprog("tp_dstate") + " 4 20 & wait")) {
            Cli.Result r = Cli.run("attach", "--regs", "--json", Integer.toString(p.pid()));
            assertTrue(r.rc() <= 2, r.err());
            double pause = ((Number) JsonDoc.parse(r.out()).get("pause_ms")).doubleValue();
            // the threads in D are not seized at all, so the others are not held for the stop's deadline (200 ms)
            assertTrue(pause < 100, "stopped for " + pause + " ms with threads in D state");
            assertTrue(r.out().contains("uninterruptible sleep (D): not stopped"), "the threads left running are said: " + r.out());
            // the launcher detached before it exited; the kernel shows it on every task at once
            Await.until(2000, () -> Files.list(Path.of("/proc", Integer.toString(p.pid()), "task"))
                    .allMatch(t -> { try { return Files.readString(t.resolve("status")).contains("TracerPid:\t0"); } catch (Exception e) { return false; } }));
            for (Path task : Files.list(Path.of("/proc", Integer.toString(p.pid()), "task")).toList()) {
                String status = Files.readString(task.resolve("status"));
                assertTrue(status.contains("TracerPid:\t0"), "left seized: " + task + "\n" + status);
                assertFalse(status.contains("State:\tt"), "left stopped: " + task);
            }
        }
    }
}
