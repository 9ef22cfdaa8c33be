package io.lminspect.cli.docs;

import io.lminspect.cli.Main;
import io.lminspect.cli.Streams;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the man pages and the bash completion from the real command line, with every
 * command (Main.newCommandLine builds all of them; a normal run builds only the one it
 * runs). Run by `make man` and `make completion`, not by users:
 *
 *   java -cp lminspect.jar:picocli.jar io.lminspect.cli.docs.Manuals man DIR
 *   java -cp lminspect.jar:picocli.jar io.lminspect.cli.docs.Manuals completion FILE
 *
 * picocli's binary jar is needed for AutoComplete only (the product compiles just
 * CommandLine.java from source); zsh uses the same script through bashcompinit.
 */
public final class Manuals {
    private Manuals() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !(args[0].equals("man") || args[0].equals("completion"))) {
            System.err.println("usage: Manuals man DIR | Manuals completion FILE");
            System.exit(2);
        }
        CommandLine cl = commandLine();
        if (args[0].equals("man")) writeManPages(cl, Path.of(args[1]));
        else writeCompletion(cl, Path.of(args[1]));
    }

    public static CommandLine commandLine() {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        return Main.newCommandLine(new Streams(sink, sink));
    }

    /** picocli's own `help` command has no page: `lminspect help X` is `lminspect X --help`. */
    static boolean documented(CommandSpec s) {
        return !(s.userObject() instanceof CommandLine.HelpCommand);
    }

    public static void writeManPages(CommandLine cl, Path dir) throws IOException {
        Files.createDirectories(dir);
        String version = cl.getCommandSpec().version()[0];
        write(dir.resolve(ManPage.fileName(cl.getCommandSpec())), ManPage.render(cl.getCommandSpec(), version));
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandSpec s = sub.getCommandSpec();
            if (documented(s)) write(dir.resolve(ManPage.fileName(s)), ManPage.render(s, version));
        }
    }

    /** Commands whose positional arguments are process ids: completion offers the running ones. */
    static final java.util.List<String> TAKE_PIDS = java.util.List.of("attach", "check", "layout", "preflight");

    public static void writeCompletion(CommandLine cl, Path file) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        write(file, withPids(AutoComplete.bash("lminspect", cl)));
    }

    /** picocli completes positionals from a fixed list: for a PID, the list is /proc's numbers at the moment of asking. */
    static String withPids(String script) {
        for (String c : TAKE_PIDS) {
            int f = script.indexOf("function _picocli_lminspect_" + c + "()");
            if (f < 0) continue;
            String empty = "local positionals=\"\"";
            int at = script.indexOf(empty, f);
            int next = script.indexOf("\nfunction ", f + 1);
            if (at < 0 || (next >= 0 && at > next)) continue;
            script = script.substring(0, at) + "local positionals=$(cd /proc 2>/dev/null && printf '%s\\n' [0-9]*)" + script.substring(at + empty.length());
        }
        return script;
    }

    private static void write(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }
}
