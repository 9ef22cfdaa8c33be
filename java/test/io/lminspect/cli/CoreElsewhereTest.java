package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.CoreDumps;
import io.lminspect.support.Env;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A core read away from where it was written: without NT_FILE (older kernels, some dumpers)
 * --exe and --sysroot still place the files; never "null" in text; cores of other architectures,
 * x32 and big-endian ones refused in one line that names them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoreElsewhereTest {
    static final int NT_FILE = 0x46494c45;
    Path dir;
    byte[] good;
    Path lib;
    String noGcore;

    @BeforeAll
    void makeCore() throws Exception {
        dir = Files.createTempDirectory(Build.scratchOutsideTemp(), "elsewhere");
        noGcore = Env.gcoreUnavailable();
        if (noGcore != null) return;
        lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            good = Files.readAllBytes(CoreDumps.gcore(v.pid(), dir));
        }
    }

    @AfterAll
    void cleanUp() throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Path withoutFileNote() throws Exception {
        assumeTrue(good != null, () -> "SKIPPED: " + noGcore);
        byte[] b = good.clone();
        CoreDumps.NoteAt n = CoreDumps.note(b, NT_FILE);
        CoreDumps.le(b).putInt((int) n.headerOffset() + 8, 0x4c4d4921); // a note type nobody reads
        Path p = dir.resolve("no-nt-file.core");
        Files.write(p, b);
        return p;
    }

    private static TreeSet<String> entries(Map<String, Object> doc) {
        TreeSet<String> out = new TreeSet<>();
        for (Map<String, Object> e : JsonDoc.list(doc, "entries")) out.add(e.get("index") + " " + e.get("name") + " " + e.get("soname"));
        return out;
    }

    @Test
    void coreWithoutFileNoteHonoursExeAndSysroot() throws Exception {
        Path core = withoutFileNote();
        Path original = dir.resolve("original.core");
        Files.write(original, good);
        Map<String, Object> want = JsonDoc.parse(Cli.run("core", "--json", original.toString()).out());

        Cli.Result bare = Cli.run("core", core.toString());
        assertFalse(bare.out().contains("null"), "never null in text: " + bare.out());
        assertTrue(bare.out().contains("executable not known"), bare.out());
        assertTrue(bare.out().contains("no NT_FILE note"), bare.out());

        Cli.Result r = Cli.run("core", "--json", "--exe", Build.testprog("tp_victim").toString(), core.toString());
        assertTrue(r.rc() <= 1, r.out() + r.err());
        Map<String, Object> doc = JsonDoc.parse(r.out());
        assertEquals(Build.testprog("tp_victim").toString(), JsonDoc.obj(doc, "target").get("exe"), "--exe placed without NT_FILE");
        assertEquals(entries(want), entries(doc), "the same entries, sonames included, as with NT_FILE");
        for (Map<String, Object> f : JsonDoc.list(doc, "findings")) assertEquals("info", f.get("severity"), f.toString());

        // under a sysroot that holds the files at their paths, absolute symlinks resolved inside it
        Path root = dir.resolve("sysroot");
        Path at = root.resolve(lib.toString().substring(1));
        Files.createDirectories(at.getParent());
        Files.copy(lib, at);
        Cli.Result s = Cli.run("core", "--json", "--sysroot", root.toString(), core.toString());
        assertTrue(s.rc() <= 1, s.out() + s.err());
        assertTrue(entries(JsonDoc.parse(s.out())).stream().anyMatch(e -> e.contains(lib.toString()) && e.endsWith("libv.so.2")),
                "the library placed from the sysroot gives its soname: " + s.out());
    }

    /** The kernel leaves clean file pages out: read where the files are not, they are not judged. */
    @Test
    void kernelCoreReadWhereItsFilesAreNotGivesNoCritical() throws Exception {
        assumeTrue(Env.isRoot(), "SKIPPED: kernel cores need root (core_pattern)");
        Path kdir = Files.createDirectories(dir.resolve("kernel"));
        Path core;
        try (Env.CorePattern pattern = Env.coreFilesInCwd();
             TestProcess v = TestProcess.start("sh", "-c", "cd " + kdir + " && ulimit -c unlimited && exec "
                     + Build.testprog("tp_victim") + " " + Build.testprog("libv.so"))) {
            v.signal("ABRT");
            v.awaitExit(10_000);
            core = CoreDumps.kernelCore(kdir, pattern.pattern(), v.pid());
        }
        assumeTrue(core != null, "SKIPPED: the kernel wrote no core");
        Map<String, Object> here = JsonDoc.parse(Cli.run("core", "--json", core.toString()).out());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Cli.Result r = Cli.run("core", "--json", "--sysroot", empty.toString(), core.toString());
        assertEquals(0, r.rc(), r.out() + r.err());
        Map<String, Object> doc = JsonDoc.parse(r.out());
        for (Map<String, Object> f : JsonDoc.list(doc, "findings")) assertEquals("info", f.get("severity"), f.toString());
        TreeSet<String> names = new TreeSet<>(), want = new TreeSet<>();
        for (Map<String, Object> e : JsonDoc.list(doc, "entries")) names.add(e.get("index") + " " + e.get("name"));
        for (Map<String, Object> e : JsonDoc.list(here, "entries")) want.add(e.get("index") + " " + e.get("name"));
        assertEquals(want, names, "the same entries");
        assertTrue(Cli.run("core", "--sysroot", empty.toString(), core.toString()).out().contains("not judged"), "said as a note");
    }

    private Cli.Result refused(String name, int elfClass, int data, int machine) throws Exception {
        assumeTrue(good != null, () -> "SKIPPED: " + noGcore);
        byte[] b = java.util.Arrays.copyOf(good, 4096);
        b[4] = (byte) elfClass;
        b[5] = (byte) data;
        ByteBuffer bb = ByteBuffer.wrap(b).order(data == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        bb.putShort(16, (short) 4); // ET_CORE
        bb.putShort(18, (short) machine);
        Path p = dir.resolve(name);
        Files.write(p, b);
        return Cli.run("core", p.toString());
    }

    @Test
    void foreignCoresRefusedByName() throws Exception {
        Cli.assertOneLineError(refused("x32.core", 1, 1, 62), "a core of x32");
        Cli.assertOneLineError(refused("aarch64.core", 2, 1, 183), "a core of AArch64");
        Cli.assertOneLineError(refused("ppc64-be.core", 2, 2, 21), "a core of big-endian PowerPC64");
        Cli.assertOneLineError(refused("s390x.core", 2, 2, 22), "a core of big-endian s390");
    }
}
