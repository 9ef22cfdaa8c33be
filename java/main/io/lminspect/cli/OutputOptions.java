package io.lminspect.cli;

import io.lminspect.report.Format;
import picocli.CommandLine.Option;

/**
 * Where a command's document goes and how it looks, shared by every command (a picocli
 * mixin on ReportCommand): --output FILE, --quiet, --color. One definition, so every
 * command spells and documents them the same way.
 */
final class OutputOptions {
    enum ColorMode { auto, always, never }

    @Option(names = "--output", paramLabel = "FILE",
            description = "write the document to FILE atomically (temp file + rename) instead of stdout, e.g. for node_exporter's textfile collector")
    String file;

    @Option(names = {"-q", "--quiet"}, description = "print nothing on stdout: the exit code is the answer (errors still go to stderr)")
    boolean quiet;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "colour severity words in text output: auto (only on a terminal, and not when NO_COLOR is set), always, never")
    ColorMode color = ColorMode.auto;

    /**
     * Colour only for text on a terminal: a file, a pipe or JSON never gets escape
     * sequences unless asked for with --color=always. NO_COLOR (no-color.org) and
     * TERM=dumb turn auto off.
     */
    boolean colorFor(Format format, boolean terminal) {
        if (format != Format.text || file != null) return false;
        return switch (color) {
            case always -> true;
            case never -> false;
            case auto -> terminal && !set("NO_COLOR") && !"dumb".equals(System.getenv("TERM"));
        };
    }

    private static boolean set(String env) {
        String v = System.getenv(env);
        return v != null && !v.isEmpty();
    }
}
