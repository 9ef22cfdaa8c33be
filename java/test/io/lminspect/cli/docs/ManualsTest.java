package io.lminspect.cli.docs;

import io.lminspect.finding.FindingCode;
import io.lminspect.support.Cli;
import io.lminspect.support.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The man pages and the completion written from the real command line, rendered by man(1). */
class ManualsTest {
    private static final List<String> COMMANDS = List.of("attach", "core", "check", "who-maps", "preflight", "decode", "layout");

    @Test
    void onePagePerCommandWithExitCodesFindingsAndExamples(@TempDir Path dir) throws Exception {
        Manuals.writeManPages(Manuals.commandLine(), dir);
        assertTrue(Files.exists(dir.resolve("lminspect.1")));
        assertFalse(Files.exists(dir.resolve("lminspect-help.1")), "picocli's help command has no page");
        for (String c : COMMANDS) {
            String page = Files.readString(dir.resolve("lminspect-" + c + ".1"));
            assertTrue(page.contains(".SH EXIT STATUS") && page.contains(".SH EXAMPLES") && page.contains(".SH OPTIONS"), c);
            assertTrue(page.contains("\\-\\-output") && page.contains("\\-\\-quiet") && page.contains("\\-\\-color"), c + ": shared options");
        }
        String attach = Files.readString(dir.resolve("lminspect-attach.1"));
        for (FindingCode f : FindingCode.values()) assertEquals(f.reportedBy("attach"), attach.contains(f.name()), f.name());
        String top = Files.readString(dir.resolve("lminspect.1"));
        for (FindingCode f : FindingCode.values()) assertTrue(top.contains(f.name()), "lminspect(1) lists every code: " + f.name());
        assertTrue(Files.readString(dir.resolve("lminspect-who-maps.1")).contains("some process maps"), "who-maps' own exit codes");
        // each page lists the codes its command can report, and NAME lines are whole sentences
        String check = Files.readString(dir.resolve("lminspect-check.1"));
        assertTrue(check.contains("SONAME_UNMAPPED") && !check.contains("VERSION_UNSATISFIED") && !check.contains("BRK_HEADROOM_LOW"), "check's codes");
        assertTrue(check.contains(".SH RESTART PLAN"), "check explains its Restart: line");
        assertTrue(Files.readString(dir.resolve("lminspect-layout.1")).contains("BRK_HEADROOM_LOW"));
        String watch = Files.readString(dir.resolve("lminspect-watch.1"));
        assertTrue(watch.contains(".SH EXIT STATUS") && watch.contains(".SH EXAMPLES"), "watch has exit status and examples");
        String name = watch.substring(watch.indexOf(".SH NAME") + 9, watch.indexOf(".SH SYNOPSIS")).strip();
        assertTrue(name.endsWith("that map it"), "the NAME line is a whole sentence: " + name);
    }

    @Test
    void manRendersThem(@TempDir Path dir) throws Exception {
        Env.assumeTool("man", "man-db");
        Manuals.writeManPages(Manuals.commandLine(), dir);
        Cli.Result r = Cli.exec(List.of("env", "MANWIDTH=80", "man", "--warnings", "-l", dir.resolve("lminspect-attach.1").toString()), 60);
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.err().isBlank(), "no roff warnings: " + r.err());
        String text = r.out().replaceAll(".\b", "");
        assertTrue(text.contains("LMINSPECT-ATTACH(1)") && text.contains("EXIT STATUS") && text.contains("SONAME_UNMAPPED"), text);
        assertTrue(text.contains("lminspect attach --json 1234"), "the example: " + text);
    }

    @Test
    void bashCompletionKnowsCommandsAndValues(@TempDir Path dir) throws Exception {
        Env.assumeTool("bash", "bash");
        Path f = dir.resolve("lminspect");
        Manuals.writeCompletion(Manuals.commandLine(), f);
        String script = "source " + f + "; COMP_WORDS=(lminspect check --format ''); COMP_CWORD=3; _complete_lminspect 2>/dev/null;"
                + " echo \"${COMPREPLY[@]}\"; COMP_WORDS=(lminspect ''); COMP_CWORD=1; _complete_lminspect 2>/dev/null; echo \"${COMPREPLY[@]}\"";
        Cli.Result r = Cli.exec(List.of("bash", "-c", script), 30);
        List<String> lines = r.out().lines().toList();
        assertEquals("text json nagios prometheus", lines.get(0), r.out() + r.err());
        for (String c : COMMANDS) assertTrue(lines.get(1).contains(c), lines.get(1));
        // after attach: the running processes' ids
        Cli.Result pids = Cli.exec(List.of("bash", "-c", "source " + f + "; COMP_WORDS=(lminspect attach ''); COMP_CWORD=2;"
                + " _complete_lminspect 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\""), 30);
        assertTrue(pids.out().lines().anyMatch(l -> l.equals(Long.toString(ProcessHandle.current().pid()))), "this JVM's pid is offered: " + pids.out());
    }
}
