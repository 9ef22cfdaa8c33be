package io.lminspect.support;

import io.lminspect.cli.Main;
import io.lminspect.cli.Streams;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs lminspect: in-process through the real picocli parser (fast), or as the launcher (a real JVM). */
public final class Cli {
    public record Result(int rc, String out, String err) {
        public List<String> outLines() { return List.of(out.split("\n")); }
    }

    private Cli() {}

    /**
     * Bad input's contract: exit 3, nothing on stdout, exactly one line on stderr that
     * names the cause (mustContain, never empty), no stack trace, no "internal error".
     */
    public static void assertOneLineError(Result r, String mustContain) {
        if (mustContain.isBlank()) throw new IllegalArgumentException("say which words the error must contain");
        org.junit.jupiter.api.Assertions.assertEquals(3, r.rc(), r.out() + r.err());
        String err = r.err().strip();
        org.junit.jupiter.api.Assertions.assertFalse(err.contains("\n"), "one line: " + err);
        org.junit.jupiter.api.Assertions.assertFalse(err.contains("Exception") || err.contains("\tat ") || err.contains("internal error"),
                "no stack trace: " + err);
        org.junit.jupiter.api.Assertions.assertTrue(err.contains(mustContain), "error names '" + mustContain + "': " + err);
        org.junit.jupiter.api.Assertions.assertTrue(r.out().isEmpty(), "nothing on stdout: " + r.out());
    }

    public static Result run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8), pe = new PrintStream(e, true, StandardCharsets.UTF_8);
        int rc = Main.run(args, new Streams(po, pe));
        return new Result(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** run(), with stdin from the given text (restored after). */
    public static synchronized Result runWithStdin(String stdin, String... args) {
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    /** Runs scripts/lminspect (optionally wrapped, e.g. by strace) with a hang guard. */
    public static Result launch(List<String> prefix, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Build.launcher().toString());
        cmd.addAll(List.of(args));
        return exec(cmd, 120);
    }

    public static Result exec(List<String> cmd, int timeoutSeconds) throws Exception {
        Path out = java.nio.file.Files.createTempFile("lmi-out", ".txt"), err = java.nio.file.Files.createTempFile("lmi-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("command hung for " + timeoutSeconds + " s: " + cmd);
            }
            return new Result(p.exitValue(), java.nio.file.Files.readString(out), java.nio.file.Files.readString(err));
        } finally {
            java.nio.file.Files.deleteIfExists(out);
            java.nio.file.Files.deleteIfExists(err);
        }
    }
}
