package io.lminspect.cli;

import io.lminspect.support.Build;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The overwritten-library incident for real: a library overwritten in place while mapped. lminspect must
 * call it critical, and the victim must then really crash on its next dlopen.
 */
class InPlaceRewriteTest {
    static final int SIGSEGV_STATUS = 128 + 11;

    @TempDir
    Path dir;

    private void rewriteAndPredictCrash(String how, Path newBytes) throws Exception {
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            assertEquals(0, Cli.run("attach", Integer.toString(v.pid())).rc(), "healthy before the rewrite");
            String cmd = how.equals("cp") ? "cp " + newBytes + " " + lib : "cat " + newBytes + " > " + lib;
            assertEquals(0, Cli.exec(List.of("sh", "-c", cmd), 30).rc());

            Cli.Result r = Cli.run("attach", "--json", Integer.toString(v.pid()));
            assertEquals(2, r.rc(), r.out() + r.err());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            boolean critical = false;
            for (Map<String, Object> f : JsonDoc.list(doc, "findings"))
                if ("critical".equals(f.get("severity")) && lib.toString().equals(f.get("object"))) critical = true;
            assertTrue(critical, "a critical finding names " + lib + ": " + r.out());
            for (Map<String, Object> e : JsonDoc.list(doc, "entries"))
                if (lib.toString().equals(e.get("name"))) assertEquals("corrupt", e.get("status"));

            // the prediction, checked against reality
            v.signal("USR1");
            assertEquals(SIGSEGV_STATUS, v.awaitExit(10_000), "victim output: " + v.lines());
        }
    }

    @Test
    void cpSameBytesOverMappedLibrary() throws Exception {
        rewriteAndPredictCrash("cp", Build.testprog("libv.so"));
    }

    @Test
    void cpOtherBuildOverMappedLibrary() throws Exception {
        rewriteAndPredictCrash("cp", Build.testprog("libv_big.so"));
    }

    @Test
    void catOverMappedLibrary() throws Exception {
        rewriteAndPredictCrash("cat", Build.testprog("libv.so"));
    }

    @Test
    void overwrittenLibraryFindingNamesEntryPointerEvidenceAndFix() throws Exception {
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            Thread.sleep(200); // the service has been up a while before the installer runs
            Installer.cpSameBytesOver(lib);
            Cli.Result r = Cli.run("attach", Integer.toString(v.pid()));
            String out = r.out();
            assertTrue(out.contains("CRITICAL " + lib + " (entry "), out);
            assertTrue(out.contains("\n  SONAME_UNMAPPED: soname pointer "), out);
            assertTrue(out.matches("(?s).*soname pointer 0x[0-9a-f]+ = l_info\\[DT_STRTAB\\] 0x[0-9a-f]+ \\+ DT_SONAME 0x[0-9a-f]+ lies outside every mapping.*"), out);
            assertTrue(out.contains(".dynamic holds the file's unrelocated values"), out);
            assertTrue(out.contains("is the file at that path today, and it was written after the process started"), out);
            assertTrue(out.contains("=> the next dlopen() in this process, or in any child forked from it, crashes in strcmp"), out);
            assertTrue(out.contains("fix: restart the process"), out);
            assertTrue(out.contains("\n  RELOCATIONS_REVERTED: "), out);
            assertTrue(out.contains("\n  FILE_REWRITTEN_IN_PLACE: "), out);
            // one block for the object: one consequence and one fix, not one per code
            assertEquals(1, out.split("\n  fix: ", -1).length - 1, out);
        }
    }

    /** attach --regs names the register that holds the overwritten-library incident's bad soname pointer. */
    @Test
    void registersHoldingTheBadSonamePointerAreCalledOut() throws Exception {
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib);
        try (TestProcess v = TestProcess.start("sh", "-c", Build.testprog("tp_victim") + " " + lib + " & wait")) {
            Thread.sleep(200);
            Installer.cpSameBytesOver(lib);
            v.signal("USR2");
            String holding = v.awaitLine("holding ", 10_000);
            assertTrue(holding != null, v.lines().toString());
            Cli.Result r = Cli.run("attach", "--regs", "--json", Integer.toString(v.pid()));
            assertEquals(2, r.rc(), r.err());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            String sonamePtr = null;
            for (Map<String, Object> e : JsonDoc.list(doc, "entries")) if (lib.toString().equals(e.get("name"))) sonamePtr = (String) e.get("soname_ptr");
            assertEquals(holding.substring("holding ".length()), sonamePtr, "the victim holds the pointer lminspect computed");
            Map<String, Object> thread = JsonDoc.list(doc, "threads").get(0);
            assertEquals(sonamePtr, JsonDoc.obj(thread, "registers").get("rsi"));
            assertEquals("the soname pointer of entry 4", JsonDoc.obj(thread, "marks").get("rsi"), thread.toString());
        }
    }

    @Test
    void installByRenameIsNotARewrite() throws Exception {
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            assertEquals(0, Cli.exec(List.of("install", "-m", "755", Build.testprog("libv_big.so").toString(), lib.toString()), 30).rc());
            Cli.Result r = Cli.run("attach", "--json", Integer.toString(v.pid()));
            Map<String, Object> doc = JsonDoc.parse(r.out());
            for (Map<String, Object> f : JsonDoc.list(doc, "findings"))
                assertTrue(!"critical".equals(f.get("severity")), "install (a new inode) is safe: " + f);
            v.signal("USR1");
            assertTrue(v.awaitLine("dlopen libm.so.6 ok", 10_000) != null, "the next dlopen works: " + v.lines());
        }
    }

    /**
     * Only the inode's change time moved (a backup tool's or perf's hard link to a mapped library): info, said as
     * such, with memory compared and clean; the same time pattern from cp -p (old mtime put back) is critical,
     * because memory shows the damage.
     */
    @Test
    void aHardLinkIsAnInodeChangeAndCpKeepingTheMtimeIsCaughtByMemory() throws Exception {
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
            Installer.afterTheServiceHasRun();
            Files.createLink(dir.resolve("libv.so.2.backup"), lib);
            Cli.Result linked = Cli.run("attach", Integer.toString(v.pid()));
            assertEquals(0, linked.rc(), linked.out() + linked.err());
            assertTrue(linked.out().contains("INFO " + lib), linked.out());
            assertTrue(linked.out().contains("its inode changed after the process started (its ctime; its mtime is older"), linked.out());
            assertTrue(linked.out().contains("memory shows no damage"), linked.out());

            assertEquals(0, Cli.exec(List.of("cp", "-p", Build.testprog("libv.so").toString(), lib.toString()), 30).rc());
            Cli.Result copied = Cli.run("attach", Integer.toString(v.pid()));
            assertEquals(2, copied.rc(), copied.out() + copied.err());
            assertTrue(copied.out().contains("CRITICAL " + lib), copied.out());
            assertTrue(copied.out().contains("or a copy that kept the old mtime such as cp -p"), copied.out());
            assertTrue(copied.out().contains("memory confirms it"), copied.out());
        }
    }
}
