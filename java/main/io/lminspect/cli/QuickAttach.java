package io.lminspect.cli;

import java.util.List;

/**
 * The commonest invocation, {@code attach [options] PID}, read without building picocli's
 * model: on a cold JVM, reading the commands' annotations and building the model cost
 * ~80 ms, a third of an attach (docs/benchmarks.md, "Start-up").
 *
 * <p>Only plain forms are taken: the options in {@link #FLAGS} and {@link #VALUED}, each once,
 * spelled as picocli accepts them, and one PID that does not start with '-'. Anything else
 * (help, --version, an unknown or repeated option, no PID or two, "--", clustered short
 * options, an @argument-file, a value picocli would refuse) gives null, and picocli parses it as always, errors
 * and all. picocli stays the definition of the command line: QuickAttachTest parses vectors
 * both ways and compares the commands built, and checks every name here against picocli's model.
 */
final class QuickAttach {
    /** The boolean options of attach, as picocli names them. */
    static final List<String> FLAGS = List.of("--json", "--thorough", "--regs", "-q", "--quiet");
    /** The options of attach that take a value (as "--name value" or "--name=value"). */
    static final List<String> VALUED = List.of("--color", "--output");

    private QuickAttach() {}

    /** The command to run, ready to call, or null when picocli must parse these arguments. */
    static AttachCommand parse(String[] args, Streams io) {
        if (args.length < 2 || !"attach".equals(args[0])) return null;
        AttachCommand c = new AttachCommand(io);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("@")) return null; // picocli reads arguments from that file
            if (!a.startsWith("-")) {
                if (c.pid != null) return null;
                c.pid = a;
                continue;
            }
            String name = a, value = null;
            int eq = a.indexOf('=');
            if (eq > 0 && a.startsWith("--")) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            String key = "-q".equals(name) ? "--quiet" : name;
            if (!seen.add(key)) return null; // picocli refuses a repeated option: let it say so
            if (FLAGS.contains(name)) {
                if (value != null) return null;
                set(c, key);
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (++i >= args.length) return null;
                    value = args[i];
                }
                if (value.isEmpty() || value.startsWith("-") || !set(c, name, value)) return null;
            } else {
                return null;
            }
        }
        return c.pid == null ? null : c;
    }

    private static void set(AttachCommand c, String flag) {
        switch (flag) {
            case "--json" -> c.output.json = true;
            case "--thorough" -> c.thorough.thorough = true;
            case "--regs" -> c.regs = true;
            case "--quiet" -> c.outputs.quiet = true;
            default -> throw new IllegalArgumentException(flag);
        }
    }

    private static boolean set(AttachCommand c, String option, String value) {
        switch (option) {
            case "--output" -> c.outputs.file = value;
            case "--color" -> {
                // picocli's enum conversion: the constant's exact name
                for (OutputOptions.ColorMode m : OutputOptions.ColorMode.values()) if (m.name().equals(value)) c.outputs.color = m;
                return c.outputs.color.name().equals(value);
            }
            default -> throw new IllegalArgumentException(option);
        }
        return true;
    }
}
