package io.lminspect.packaging;

import io.lminspect.cli.docs.Manuals;
import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Env;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The .deb for real: built by packaging/build-deb from this build, installed with dpkg,
 * used, upgraded, removed and purged. The machine is left as it was (purge in finally).
 */
class DebPackageTest {
    private static final String VERSION = "0.1.0";

    private static Cli.Result run(String... cmd) throws Exception {
        return Cli.exec(List.of(cmd), 300);
    }

    private static Cli.Result ok(String... cmd) throws Exception {
        Cli.Result r = run(cmd);
        assertEquals(0, r.rc(), () -> String.join(" ", cmd) + "\n" + r.out() + r.err());
        return r;
    }

    /** packaging/build-deb with the files `make` built, and man pages and completion written here. */
    private static Path buildDeb(Path dir, String version) throws Exception {
        Path man = dir.resolve("man"), completion = dir.resolve("completion/lminspect");
        var cl = Manuals.commandLine();
        Manuals.writeManPages(cl, man);
        Manuals.writeCompletion(cl, completion);
        Path out = dir.resolve("lminspect_" + version + "_amd64.deb");
        Path b = Build.build();
        List<String> cmd = new ArrayList<>(List.of("env", "VERSION=" + version, "JAR=" + b.resolve("lminspect.jar"),
                "HELPER=" + b.resolve("native-res/linux-x86-64/liblmhelper.so"), "JNA=" + b.resolve("jna/libjnidispatch.so"),
                "LAUNCHER=" + Build.launcher(), "MAN_DIR=" + man, "COMPLETION=" + completion,
                "ARCHIVE_SCRIPT=" + Build.root().resolve("scripts/make-startup-archive"),
                "TRAINING=" + Build.testprog("tp_victim") + " " + Build.testprog("libv.so"),
                Build.root().resolve("packaging/build-deb").toString(), out.toString()));
        ok(cmd.toArray(String[]::new));
        return out;
    }

    @Test
    void installUseUpgradeRemovePurge(@TempDir Path dir) throws Exception {
        Env.assumeRoot("installing a package with dpkg");
        Env.assumeTool("dpkg", "dpkg");
        Env.assumeTool("dpkg-deb", "dpkg");
        assumeTrue(run("dpkg-query", "-W", "-f=${Status}", "lminspect").out().isEmpty(),
                "SKIPPED: an lminspect package is installed on this machine; the test would replace and then remove it");
        assumeTrue(!Files.exists(Path.of("/usr/bin/lminspect")), "SKIPPED: /usr/bin/lminspect exists (not from a package)");
        Path deb = buildDeb(dir, VERSION);
        if (Build.have("lintian")) {
            Cli.Result l = run("lintian", "--fail-on", "error", deb.toString());
            assertEquals(0, l.rc(), "lintian finds no error: " + l.out() + l.err());
        }
        try {
            ok("dpkg", "-i", deb.toString());
            assertInstalledAndWorking();
            // an upgrade: the same package again, then a newer version
            ok("dpkg", "-i", deb.toString());
            ok("dpkg", "-i", buildDeb(dir.resolve("v2"), VERSION + "+1").toString());
            assertInstalledAndWorking();
            assertTrue(ok("dpkg-query", "-W", "-f=${Version}", "lminspect").out().equals(VERSION + "+1"));
            ok("dpkg", "-r", "lminspect");
            assertFalse(Files.exists(Path.of("/usr/bin/lminspect")), "program removed");
            assertFalse(Files.exists(Path.of("/usr/share/lminspect")), "share/lminspect removed, start-up archive included");
            assertFalse(Files.exists(Path.of("/usr/lib/lminspect")), "lib/lminspect removed");
        } finally {
            run("dpkg", "--purge", "lminspect");
        }
        assertTrue(run("dpkg-query", "-W", "-f=${Status}", "lminspect").out().isEmpty(), "purged");
        assertFalse(Files.exists(Path.of("/etc/gdb/gdbinit.d/lminspect.py")), "conffile purged");
        for (String d : List.of("/etc/systemd/system", "/var/lib/systemd/deb-systemd-helper-enabled", "/var/lib/systemd/deb-systemd-helper-masked"))
            assertTrue(find(Path.of(d)).isEmpty(), "nothing of lminspect left in " + d + ": " + find(Path.of(d)));
    }

    private static void assertInstalledAndWorking() throws Exception {
        assertEquals("lminspect " + VERSION, ok("/usr/bin/lminspect", "--version").out().strip());
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            // the installed launcher, not this build's (the environment names the build)
            Cli.Result r = run("env", "-u", "LMINSPECT_BUILD", "/usr/bin/lminspect", "attach", Integer.toString(v.pid()));
            assertEquals(0, r.rc(), r.out() + r.err());
            assertTrue(r.out().contains("libv.so.2") && r.out().contains("no findings"), r.out());
        }
        assertTrue(Files.isRegularFile(Path.of("/usr/share/bash-completion/completions/lminspect")), "bash completion");
        assertTrue(Files.isRegularFile(Path.of("/usr/share/lminspect/gdb/lminspect.py")), "gdb command");
        assertTrue(Files.isRegularFile(Path.of("/lib/systemd/system/lminspect-check.timer")), "check timer");
        assertTrue(Files.isRegularFile(Path.of("/usr/lib/lminspect/liblmhelper.so")), "native helper, where architecture-dependent files go");
        // every unit the package installs runs a program the package installed
        List<Path> units = find(Path.of("/lib/systemd/system"));
        assertTrue(units.size() >= 3, "the check service, its timer and the watch service: " + units);
        for (Path u : units) {
            for (String l : Files.readAllLines(u)) {
                if (!l.startsWith("ExecStart=") && !l.startsWith("ExecReload=")) continue;
                String program = l.substring(l.indexOf('=') + 1).strip().split("\\s+")[0].replaceFirst("^[-@+!:]+", "");
                if (program.startsWith("/bin/kill")) continue;
                assertTrue(Files.isExecutable(Path.of(program)), u + ": " + l + " runs a program that is not installed");
            }
            if (Build.have("systemd-analyze")) {
                Cli.Result v = run("systemd-analyze", "verify", u.toString());
                for (String line : (v.out() + v.err()).split("\n"))
                    assertFalse(line.contains("is not executable") || line.contains("Unknown key") || line.contains("Failed to parse")
                            || (line.contains("failed") && !line.contains("'man ")), u + ": " + line);
            }
        }
        if (Build.have("man")) {
            assertEquals("/usr/share/man/man1/lminspect.1.gz", ok("man", "-w", "lminspect").out().strip());
            assertEquals("/usr/share/man/man1/lminspect-attach.1.gz", ok("man", "-w", "lminspect-attach").out().strip());
        }
        // the start-up archive is recorded where the build could record one (it only costs speed when missing)
        String archive = Cli.exec(List.of("sh", "-c", ". " + Build.root().resolve("scripts/jdk.sh") + " && lm_pick_jdk && echo $LM_ARCHIVE"), 10).out().strip();
        if (!archive.isEmpty() && Files.exists(Build.build().resolve(archive)))
            assertTrue(Files.exists(Path.of("/usr/share/lminspect", archive)), "start-up archive " + archive + " recorded by postinst");
        // and on JDK >= 25 the one of plain attach and check lines
        String quickArchive = archive.replace(".aot", "-quick.aot");
        if (archive.endsWith(".aot") && Files.exists(Build.build().resolve(quickArchive)))
            assertTrue(Files.exists(Path.of("/usr/share/lminspect", quickArchive)), "AOT cache " + quickArchive + " recorded by postinst");
    }

    private static List<Path> find(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().contains("lminspect")).toList();
        }
    }
}
