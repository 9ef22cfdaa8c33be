package io.lminspect.packaging;

import io.lminspect.support.Build;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** scripts/lminspect and scripts/jdk.sh: which JDK runs, and with which start-up archive. */
class LauncherTest {

    /** A `java` on PATH that is a link outside /usr/lib/jvm is followed to its JDK home (and the newest wins). */
    @Test
    void aLinkedJavaOnPathLeadsToItsHome(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("jdk-99"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"99.0.1\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("java"), java);
        String out = sh(". " + Build.root().resolve("scripts/jdk.sh") + " && lm_pick_jdk && echo \"$LM_JAVA_HOME $LM_ARCHIVE\"",
                Map.of("PATH", bin + ":/usr/bin:/bin"));
        assertEquals(home + " lminspect-99.0.1.aot", out);
    }

    /** Debian's /usr/bin/java (a link through /etc/alternatives) is matched among /usr/lib/jvm without readlink. */
    @Test
    void debiansAlternativeIsOneOfTheInstalledJdks() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/usr/bin/java")), "no /usr/bin/java link on this machine");
        String home = sh(". " + Build.root().resolve("scripts/jdk.sh") + " && lm_pick_jdk && echo \"$LM_JAVA_HOME\"",
                Map.of("PATH", "/usr/bin:/bin"));
        assertTrue(home.startsWith("/usr/lib/jvm/") && Files.isExecutable(Path.of(home, "bin/java")), home);
    }

    /**
     * On JDK >= 25, attach and check run with the AOT cache of their own classes and the other
     * commands with the whole one; a quick cache of another jar (other mtime) falls back to the whole.
     */
    @Test
    void attachAndCheckGetTheirOwnAotCacheWhileItIsFresh(@TempDir Path tmp) throws Exception {
        String archive = sh(". " + Build.root().resolve("scripts/jdk.sh") + " && lm_pick_jdk && echo \"$LM_ARCHIVE\"", Map.of());
        assumeTrue(archive.endsWith(".aot"), "the JDK the launcher picks is older than 25: one CDS archive serves every command");
        String quickArchive = archive.replace(".aot", "-quick.aot");
        assumeTrue(Files.exists(Build.build().resolve(quickArchive)), "make recorded no AOT cache here");
        // a copy of the build's jar and archives, their times kept, so the test may age one of them
        for (String f : List.of("lminspect.jar", archive, quickArchive))
            Files.copy(Build.build().resolve(f), tmp.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        Map<String, String> env = Map.of("LMINSPECT_BUILD", tmp.toString());

        assertTrue(javaLine("attach", env).contains("-XX:AOTCache=" + tmp.resolve(quickArchive)), "attach: " + javaLine("attach", env));
        assertTrue(javaLine("check", env).contains("-XX:AOTCache=" + tmp.resolve(quickArchive)), "check: " + javaLine("check", env));
        assertTrue(javaLine("core", env).contains("-XX:AOTCache=" + tmp.resolve(archive) + " "), "core: " + javaLine("core", env));

        Files.setLastModifiedTime(tmp.resolve(quickArchive), FileTime.fromMillis(0));
        assertTrue(javaLine("attach", env).contains("-XX:AOTCache=" + tmp.resolve(archive) + " "), "stale quick cache: " + javaLine("attach", env));
    }

    /** The java command line the launcher would exec (its `sh -x` trace), for a command that fails at once. */
    private static String javaLine(String command, Map<String, String> env) throws Exception {
        String trace = run(List.of("sh", "-x", Build.launcher().toString(), command, "--no-such-option"), env, true);
        for (String l : trace.split("\n")) if (l.startsWith("+ exec ")) return l + " ";
        throw new AssertionError("no exec in the launcher's trace:\n" + trace);
    }

    private static String sh(String script, Map<String, String> env) throws Exception {
        return run(List.of("sh", "-c", script), env, false).strip();
    }

    private static String run(List<String> cmd, Map<String, String> env, boolean stderr) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        if (!stderr) pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        else pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String((stderr ? p.getErrorStream() : p.getInputStream()).readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hung: " + cmd);
        }
        return out;
    }
}
