package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Env;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Output files are written only through what lminspect created (rule 8): a directory others can
 * write without the sticky bit is refused before any work; the mode is 0644 whatever the umask
 * (fchmod through the descriptor); a directory named as the file is exit 3, for watch at start.
 */
class OutputSafetyTest {
    @Test
    void unsafeDirectoryRefusedStickyAcceptedModeFromTheDescriptor() throws Exception {
        Path base = Files.createTempDirectory(Build.scratchOutsideTemp(), "out");
        Path open = Files.createDirectories(base.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path sticky = Files.createDirectories(base.resolve("sticky"));
        Cli.exec(List.of("chmod", "1777", sticky.toString()), 10);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            String pid = Integer.toString(v.pid());
            Cli.assertOneLineError(Cli.run("attach", pid, "--output", open.resolve("report.txt").toString()), "no sticky bit");
            assertTrue(!Files.exists(open.resolve("report.txt")));
            Cli.assertOneLineError(Cli.run("attach", pid, "--output", base.toString()), "is a directory");

            // umask 077 would make a plain create 0600: the mode comes from fchmod on the new descriptor
            Path out = sticky.resolve("report.prom");
            Cli.Result r = Cli.exec(List.of("sh", "-c", "umask 077; exec " + Build.launcher() + " check " + pid
                    + " --format prometheus --output " + out), 120);
            assertEquals(0, r.rc(), r.out() + r.err());
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
            assertTrue(Files.readString(out).contains("lminspect_"), "the document was written");
            try (var s = Files.list(sticky)) {
                assertEquals(1, s.count(), "no temporary file left behind");
            }
        }
    }

    @Test
    void watchTextfileThatIsADirectoryIsExit3AtStart() throws Exception {
        Env.assumeRoot("watch needs root to read every process");
        Cli.assertOneLineError(Cli.run("watch", "--textfile", "/tmp"), "is a directory");
    }
}
