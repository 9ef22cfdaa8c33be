package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Env;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --output, --quiet and --color on every command; colour only on a terminal, never with NO_COLOR. */
class OutputOptionsTest {
    private static final String ESC = "\033[";

    @TempDir
    Path dir;

    @Test
    void quietPrintsNothingAndKeepsTheExitCode() throws Exception {
        try (TestProcess bad = Installer.victimWithLibraryOverwritten(dir)) {
            for (String cmd : List.of("attach", "layout")) {
                Cli.Result r = Cli.run(cmd, "--quiet", Integer.toString(bad.pid()));
                assertTrue(r.out().isEmpty() && r.err().isEmpty(), cmd + ": " + r.out() + r.err());
            }
            assertEquals(2, Cli.run("attach", "-q", Integer.toString(bad.pid())).rc());
            assertEquals(2, Cli.run("check", "-q", "--format", "nagios", Integer.toString(bad.pid())).rc());
            assertEquals(1, Cli.run("who-maps", "-q", Build.testprog("tp_victim").toString()).rc());
            // errors still reach stderr
            Cli.assertOneLineError(Cli.run("attach", "--quiet", "notapid"), "not a process id");
        }
    }

    @Test
    void outputOnEveryCommandReplacesTheFile() throws Exception {
        try (TestProcess bad = Installer.victimWithLibraryOverwritten(dir)) {
            Path out = dir.resolve("attach.json");
            Files.writeString(out, "old");
            Cli.Result r = Cli.run("attach", "--json", "--output", out.toString(), Integer.toString(bad.pid()));
            assertEquals(2, r.rc(), r.err());
            assertTrue(r.out().isEmpty(), "nothing on stdout: " + r.out());
            assertEquals(bad.pid(), ((Long) JsonDoc.obj(JsonDoc.parse(Files.readString(out)), "target").get("pid")).intValue());
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
            Path whoMaps = dir.resolve("who-maps.txt");
            assertEquals(1, Cli.run("who-maps", "--output", whoMaps.toString(), Build.testprog("tp_victim").toString()).rc());
            assertTrue(Files.readString(whoMaps).contains("mapped by"), Files.readString(whoMaps));
            Path prom = dir.resolve("lminspect.prom");
            assertEquals(2, Cli.run("check", "--format", "prometheus", "--output", prom.toString(), Integer.toString(bad.pid())).rc());
            assertTrue(Files.readString(prom).contains("lminspect_findings{code=\"SONAME_UNMAPPED\"} 1"));
            try (var files = Files.list(dir)) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
            }
        }
    }

    @Test
    void colourOnlyWhenAskedOrOnATerminal() throws Exception {
        try (TestProcess bad = Installer.victimWithLibraryOverwritten(dir)) {
            String pid = Integer.toString(bad.pid());
            String always = Cli.run("attach", "--color=always", pid).out();
            assertTrue(always.contains(ESC + "1;31mCRITICAL" + ESC + "0m"), always);
            assertEquals(Cli.run("attach", "--color=never", pid).out().lines().count(), always.lines().count(), "same lines, coloured");
            assertFalse(Cli.run("attach", pid).out().contains(ESC), "auto: not a terminal here, no colour");
            assertFalse(Cli.run("attach", "--color=always", "--json", pid).out().contains(ESC), "JSON is never coloured");
            assertTrue(Cli.run("check", "--color=always", pid).out().contains(ESC + "1;31mCRITICAL" + ESC + "0m: "), "summary status word");
            Cli.assertOneLineError(Cli.run("attach", "--color=sometimes", pid), "--color");
        }
    }

    /** auto on a real terminal (script(1) gives the launcher a pseudo-terminal): colour, unless NO_COLOR or TERM=dumb. */
    @Test
    void autoOnATerminalHonoursNoColor() throws Exception {
        Env.assumeTool("script", "bsdutils");
        Env.assumePtraceOfNonDescendants();
        try (TestProcess ok = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            String check = Build.launcher() + " check " + ok.pid();
            assertTrue(onTerminal("TERM=xterm " + check).contains(ESC + "32mOK" + ESC + "0m: "), "auto on a terminal");
            assertFalse(onTerminal("TERM=xterm NO_COLOR=1 " + check).contains(ESC), "NO_COLOR");
            assertFalse(onTerminal("TERM=dumb " + check).contains(ESC), "TERM=dumb");
            assertTrue(onTerminal("TERM=xterm NO_COLOR=1 " + check + " --color=always").contains(ESC), "--color=always wins over NO_COLOR");
        }
    }

    private static String onTerminal(String shellCommand) throws Exception {
        Cli.Result r = Cli.exec(List.of("script", "-qec", "env " + shellCommand, "/dev/null"), 120);
        assertEquals(0, r.rc(), r.out() + r.err());
        return r.out();
    }
}
