package io.lminspect.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What installers do to a library that processes have mapped, done for real. */
public final class Installer {
    private Installer() {}

    /**
     * A service has run a while before an installer touches its files: a change within
     * 50 ms of a process's start cannot be told from the start itself (FileHistory's
     * slack: start times are known to a clock tick, the boot time to ~10 ms). Time must
     * pass here; nothing else can be waited for.
     */
    public static void afterTheServiceHasRun() throws InterruptedException {
        Thread.sleep(100);
    }

    /** The safe install (what dpkg and `install` do): the new bytes written beside the file, then renamed over it (a new inode). */
    public static void renameOver(Path newBytes, Path lib) throws Exception {
        Path tmp = lib.resolveSibling("." + lib.getFileName() + ".new");
        Files.copy(newBytes, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The mistake of the overwritten-library incident: `cp NEW LIB` opens LIB's inode with O_TRUNC and writes into it. */
    public static void cpOver(Path newBytes, Path lib) throws Exception {
        Cli.Result r = Cli.exec(List.of("cp", newBytes.toString(), lib.toString()), 30);
        if (r.rc() != 0) throw new IllegalStateException("cp failed: " + r.err());
    }

    /** A tp_victim whose library in dir is then overwritten in place by another build: every critical rewrite finding. */
    public static TestProcess victimWithLibraryOverwritten(Path dir) throws Exception {
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib);
        TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString());
        cpOver(Build.testprog("libv_big.so"), lib);
        return v;
    }

    /** A copy of a test library, under a name of this test JVM's, outside every temp dir (which lminspect rates as deliberate). */
    public static Path scratchCopy(String testLibrary, String prefix) throws Exception {
        return Files.copy(Build.testprog(testLibrary), Build.scratchOutsideTemp().resolve(prefix + ProcessHandle.current().pid() + ".so"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** `cp` of the library's own bytes over itself (through a copy, as cp refuses the same file). */
    public static void cpSameBytesOver(Path lib) throws Exception {
        Path copy = Files.createTempFile(lib.getParent(), ".copy", ".so");
        try {
            Files.copy(lib, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            cpOver(copy, lib);
        } finally {
            Files.deleteIfExists(copy);
        }
    }
}
