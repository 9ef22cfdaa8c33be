package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.CoreDumps;
import io.lminspect.support.Env;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bad and lying cores: exit 3 with one line on stderr, or findings; never a
 * stack trace, never a hang. The lies are patched into a real small core.
 */
class CoreBadInputTest {
    static final int PT_LOAD = 1, NT_PRSTATUS = 1, NT_AUXV = 6, NT_FILE = 0x46494c45;

    static Path dir;
    static byte[] good;
    static Path lib;
    static String noGcore;

    @BeforeAll
    static void makeCore() throws Exception {
        dir = Files.createTempDirectory("lmi-corebad");
        noGcore = Env.gcoreUnavailable();
        if (noGcore != null) return; // the tests that need the core skip with this reason; the others still run
        lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            good = Files.readAllBytes(CoreDumps.gcore(v.pid(), dir));
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }


    static Cli.Result runCore(Path core) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Cli.run("core", core.toString()));
    }

    private Path write(String name, byte[] b) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    private Path patched(String name, Consumer<ByteBuffer> patch) throws Exception {
        assumeTrue(good != null, () -> "SKIPPED: " + noGcore);
        byte[] b = good.clone();
        patch.accept(CoreDumps.le(b));
        return write(name, b);
    }

    @Test
    void notCores() throws Exception {
        byte[] random = new byte[64 * 1024];
        new Random(42).nextBytes(random);
        Cli.assertOneLineError(runCore(write("random", random)), "is not a core file");
        Cli.assertOneLineError(runCore(Path.of("/bin/ls")), "not a core file");
        Cli.assertOneLineError(runCore(dir.resolve("no-such-core")), "no such file");
        Cli.assertOneLineError(runCore(dir), "is a directory");
        Cli.assertOneLineError(runCore(write("empty", new byte[0])), "is not a core file");
        Cli.assertOneLineError(Cli.run("core"), "Missing required parameter: 'COREFILE'");
    }

    @Test
    void truncatedCore() throws Exception {
        assumeTrue(good != null, () -> "SKIPPED: " + noGcore);
        Cli.assertOneLineError(runCore(write("first-pages", Arrays.copyOf(good, 8192))), "truncated");
        Cli.assertOneLineError(runCore(write("half", Arrays.copyOf(good, good.length / 2))), "truncated");
    }

    @Test
    void notesThatLie() throws Exception {
        assumeTrue(good != null, () -> "SKIPPED: " + noGcore);
        CoreDumps.NoteAt file = CoreDumps.note(good, NT_FILE);
        CoreDumps.NoteAt prstatus = CoreDumps.note(good, NT_PRSTATUS);
        int notePh = CoreDumps.phdrOffset(good, 4);
        int loadPh = CoreDumps.phdrOffset(good, PT_LOAD);

        Cli.assertOneLineError(runCore(patched("ntfile-count", b -> b.putLong((int) file.descOffset(), 0x7fffffffffffL))), "NT_FILE claims");
        Cli.assertOneLineError(runCore(patched("ntfile-range", b -> b.putLong((int) file.descOffset() + 24, 0))), "NT_FILE entry");
        Cli.assertOneLineError(runCore(patched("prstatus-size", b -> b.putInt((int) prstatus.headerOffset() + 4, 16))), "NT_PRSTATUS");
        Cli.assertOneLineError(runCore(patched("notes-past-eof", b -> b.putLong(notePh + 8, good.length + 4096L))), "truncated");
        Cli.assertOneLineError(runCore(patched("notes-huge", b -> b.putLong(notePh + 32, Long.MAX_VALUE))), "notes segment");
        Cli.assertOneLineError(runCore(patched("load-past-eof", b -> b.putLong(loadPh + 8, Long.MAX_VALUE - 10))), "truncated");
        Cli.assertOneLineError(runCore(patched("load-filesz", b -> b.putLong(loadPh + 32, b.getLong(loadPh + 40) + 4096))), "file size");
        Cli.assertOneLineError(runCore(patched("phnum", b -> b.putShort(56, (short) 0xfffe))), "program headers at offset 64");
    }

    @Test
    void liesThatStillInspect() throws Exception {
        assumeTrue(good != null, () -> "SKIPPED: " + noGcore);
        CoreDumps.NoteAt auxv = CoreDumps.note(good, NT_AUXV);
        CoreDumps.NoteAt prstatus = CoreDumps.note(good, NT_PRSTATUS);
        // auxv entries point nowhere: no link_map, said in a note
        Cli.Result r = runCore(patched("auxv-garbage", b -> {
            for (int i = 8; i + 8 <= auxv.descSize(); i += 16) b.putLong((int) auxv.descOffset() + i, 0xdead0000L + i);
        }));
        assertTrue(r.rc() >= 0 && r.rc() <= 3 && !r.err().contains("internal error"), r.out() + r.err());
        // the note's descsz is larger than the segment: the walk stops there, nothing read past it
        r = runCore(patched("desc-past-segment", b -> b.putInt((int) prstatus.headerOffset() + 4, 0x7ffffff0)));
        Cli.assertOneLineError(r, "notes are damaged");
    }

    @Test
    void fileNamedByTheCoreIsNowAFifo() throws Exception {
        assumeTrue(good != null, () -> "SKIPPED: " + noGcore);
        Path core = write("fifo-core", good);
        Files.delete(lib);
        assertEquals(0, Cli.exec(List.of("mkfifo", lib.toString()), 10).rc());
        try {
            Cli.Result r = runCore(core);
            assertTrue(r.rc() >= 0 && r.rc() <= 2, r.out() + r.err());
            assertTrue(r.out().contains("not read: " + lib + " (not a regular file)"), r.out());
        } finally {
            Files.delete(lib);
            Files.copy(Build.testprog("libv.so"), lib);
        }
    }
}
