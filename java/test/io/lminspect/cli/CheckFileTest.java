package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `check --file PATH`, the deploy gate's question: named by the file or a symlink to it, it answers
 * for that file alone (an unrelated deleted library elsewhere does not fail it) across every process.
 */
class CheckFileTest {
    /** 0, or 3 where some process cannot be read at all (a partial view is never called clean). */
    static void assertCleanAnswer(Cli.Result r) {
        if (r.rc() == 3) {
            Map<String, Object> doc = JsonDoc.parse(r.out());
            assertTrue(((Number) JsonDoc.obj(doc, "summary").get("unread")).intValue() > 0, r.out() + r.err());
        } else {
            assertEquals(0, r.rc(), r.out() + r.err());
        }
    }

    @Test
    void answersForTheNamedFileAloneByPathOrSymlink() throws Exception {
        Path dir = Files.createTempDirectory(Build.scratchOutsideTemp(), "file-q");
        Path lib = dir.resolve("libv.so.2"), other = dir.resolve("libother.so"), link = dir.resolve("libv.so");
        Files.copy(Build.testprog("libv.so"), lib);
        Files.copy(Build.testprog("libnos.so"), other);
        Files.createSymbolicLink(link, lib.getFileName());
        try (TestProcess user = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString());
             TestProcess bystander = TestProcess.start(Build.testprog("tp_victim").toString(), other.toString())) {
            Files.delete(other); // a warning elsewhere: not the gate's business
            Cli.Result healthy = Cli.run("check", "--json", "--file", link.toString());
            assertCleanAnswer(healthy);
            Map<String, Object> doc = JsonDoc.parse(healthy.out());
            assertEquals(1, JsonDoc.list(doc, "processes").size(), "only the process that maps the file: " + healthy.out());
            assertEquals((long) user.pid(), JsonDoc.obj(JsonDoc.list(doc, "processes").get(0), "target").get("pid"));

            Installer.afterTheServiceHasRun();
            Installer.cpSameBytesOver(lib);
            Cli.Result bad = Cli.run("check", "--file", link.toString());
            assertEquals(2, bad.rc(), bad.out());
            assertTrue(bad.out().contains("CRITICAL " + lib), bad.out());
            assertTrue(!bad.out().contains("libother"), "another file's finding is not in the answer: " + bad.out());
            Cli.assertOneLineError(Cli.run("check", "--file", dir.resolve("no-such.so").toString()), "no such file");
        }
    }
}
