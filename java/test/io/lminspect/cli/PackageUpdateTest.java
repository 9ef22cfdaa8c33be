package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Env;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.Schemas;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real package update under a running process: a small package that ships a library is
 * installed with dpkg, a process loads the library, the package is upgraded (dpkg unpacks
 * beside the file and renames over it) and reinstalled. `check --file` names the process,
 * and which update did it: the package, from which version to which, and when (dpkg's log).
 * The package is purged afterwards.
 */
class PackageUpdateTest {
    static final String PKG = "lminspect-testlib";
    static final Path LIB = Path.of("/usr/lib/lminspect-test/liblmitest.so.1");

    private static Path deb(Path dir, String version, Path library) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root-" + version));
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + PKG + "\nVersion: " + version + "\nArchitecture: amd64\n"
                + "Maintainer: lminspect tests <tests@example.org>\nDescription: a library for lminspect's package update test\n");
        Path lib = root.resolve(LIB.toString().substring(1));
        Files.createDirectories(lib.getParent());
        Files.copy(library, lib);
        Path out = dir.resolve(PKG + "_" + version + "_amd64.deb");
        Cli.Result r = Cli.exec(List.of("dpkg-deb", "--root-owner-group", "--build", root.toString(), out.toString()), 60);
        assertEquals(0, r.rc(), r.err());
        return out;
    }

    private static void dpkg(String... args) throws Exception {
        Cli.Result r = Cli.exec(List.of(args), 120);
        assertEquals(0, r.rc(), String.join(" ", args) + ": " + r.out() + r.err());
    }

    @Test
    void anUpgradeUnderARunningProcessNamesThePackageAndTheVersions(@TempDir Path dir) throws Exception {
        Env.assumeRoot("installing a package with dpkg");
        Env.assumeTool("dpkg", "dpkg");
        assumeTrue(Cli.exec(List.of("dpkg-query", "-W", "-f=${Status}", PKG), 10).out().isEmpty(), "SKIPPED: " + PKG + " is installed here");
        Path v1 = deb(dir, "1.0-1", Build.testprog("libv.so")), v2 = deb(dir, "1.1-1", Build.testprog("libv_big.so"));
        try {
            dpkg("dpkg", "-i", v1.toString());
            try (TestProcess p = TestProcess.start(Build.testprog("tp_victim").toString(), LIB.toString())) {
                String pid = Integer.toString(p.pid()); // the process itself: a whole-host scan here has pid 1 it may not read (exit 3)
                Cli.Result before = Cli.run("check", "--json", "--file", LIB.toString(), pid);
                assertEquals(0, before.rc(), before.out());

                dpkg("dpkg", "-i", v2.toString()); // the upgrade: dpkg renames the new file over the mapped one
                Cli.Result r = Cli.run("check", "--json", "--file", LIB.toString(), pid);
                assertEquals(1, r.rc(), r.out() + r.err());
                Schemas.assertValid("check.json", r.out());
                Map<String, Object> g = JsonDoc.list(JsonDoc.parse(r.out()), "groups").get(0);
                assertEquals("FILE_REPLACED", g.get("code"));
                assertEquals(List.of((long) p.pid()), g.get("pids"));
                Map<String, Object> pkg = JsonDoc.obj(g, "package");
                assertNotNull(pkg, "the package is named: " + g);
                assertEquals(PKG, pkg.get("name"));
                assertEquals("1.1-1", pkg.get("version"));
                assertEquals("1.0-1", pkg.get("from_version"));
                assertEquals("1.1-1", pkg.get("to_version"));
                assertTrue(String.valueOf(pkg.get("changed_at")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), pkg.toString());

                Cli.Result text = Cli.run("check", "--file", LIB.toString(), pid);
                assertTrue(text.out().contains("package " + PKG + " 1.1-1, upgraded from 1.0-1 to 1.1-1 at "), text.out());
                Cli.Result nagios = Cli.run("check", "--format", "nagios", "--file", LIB.toString(), pid);
                assertTrue(nagios.out().contains("upgraded from 1.0-1 to 1.1-1"), "Nagios long output: " + nagios.out());

                dpkg("dpkg", "-i", v2.toString()); // and reinstalled (apt-get install --reinstall)
                Cli.Result again = Cli.run("check", "--file", LIB.toString(), pid);
                assertTrue(again.out().contains("reinstalled (1.1-1) at "), again.out());
            }
        } finally {
            Cli.exec(List.of("dpkg", "--purge", PKG), 120);
        }
        assertTrue(!Files.exists(LIB), "purged");
    }
}
