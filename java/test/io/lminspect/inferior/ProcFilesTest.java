package io.lminspect.inferior;

import io.lminspect.support.Build;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The /proc files one helper call reads equal what Java reads one by one; what it cannot read is left to the caller. */
class ProcFilesTest {
    /** ProcFiles uses the helper only once it is loaded (it never waits for the load): load it. */
    @org.junit.jupiter.api.BeforeEach
    void helperLoaded() {
        assertNotNull(NativeHelper.Holder.get(), "the helper is built: " + NativeHelper.Holder.loadError());
    }

    @Test
    void oneCallReadsWhatJavaReads() throws Exception {
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            int pid = v.pid();
            ProcFiles f = ProcFiles.read(pid, "auxv", "maps", "cgroup", "@exe", "@root", "$exe", "no-such-file", "@no-such-link");
            assertArrayEquals(ProcFs.readBytes(pid, "auxv"), f.bytes("auxv"));
            assertEquals(ProcFs.readText(pid, "maps"), f.text("maps"));
            assertArrayEquals(ProcFs.readBytes(pid, "cgroup"), f.bytes("cgroup"));
            assertEquals(ProcFs.exe(pid), f.link("exe"));
            assertEquals("/", f.link("root"));
            assertEquals(FileId.of(Files.readAttributes(Path.of("/proc/" + pid + "/exe"), "unix:dev,ino")), f.id("exe"),
                    "the exe's identity as Java's stat gives it");
            assertNull(f.bytes("no-such-file"), "a failed read is the caller's to make (and to name)");
            assertFalse(f.has("@no-such-link"));
            assertNull(f.bytes("not asked"));
        }
    }

    @Test
    void whatDoesNotFitIsTheCallersAndTheRestIsRead() throws Exception {
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            int pid = v.pid();
            int statBytes = ProcFs.readBytes(pid, "stat").length;
            // room for the stat line and the root link ("/"), not for the maps or the exe's path after them
            ProcFiles f = ProcFiles.read(pid, statBytes + 4, "stat", "@root", "maps", "@exe");
            assertTrue(f.has("stat"));
            assertEquals("/", f.link("root"));
            assertNull(f.bytes("maps"), "the maps did not fit: not a cut copy");
            assertNull(f.link("exe"), "no room left for the link: not a cut name");
        }
    }

    @Test
    void aProcessThatIsGoneGivesNothing() throws Exception {
        TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString());
        int pid = v.pid();
        v.close();
        assertFalse(ProcFiles.read(pid, "stat").has("stat"));
    }

    /** Before the helper has loaded, the reads are the caller's at once: an attach never waits for JNA's set-up. */
    @Test
    void aHelperNotLoadedYetIsNotWaitedFor() {
        NativeHelper.Holder.reset(); // forgotten: nothing loaded until somebody calls get()
        try {
            assertNull(NativeHelper.Holder.ifLoaded());
            assertFalse(ProcFiles.read((int) ProcessHandle.current().pid(), "stat").has("stat"));
        } finally {
            NativeHelper.Holder.reset();
        }
    }

    @Test
    void withoutTheHelperEverythingIsTheCallers() {
        NativeHelper.Holder.override(null);
        try {
            assertFalse(ProcFiles.read((int) ProcessHandle.current().pid(), "stat").has("stat"));
        } finally {
            NativeHelper.Holder.reset();
        }
    }
}
