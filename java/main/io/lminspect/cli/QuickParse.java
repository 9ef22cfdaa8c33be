package io.lminspect.cli;

import io.lminspect.report.Format;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The commonest command lines, {@code attach [options] PID}, {@code check [options]
 * [PID...]} and {@code core [options] COREFILE}, read without building picocli's model: on
 * a cold JVM, reading the commands' annotations and building the model cost ~50-80 ms, a
 * third of an attach and of a core read (docs/benchmarks.md, "Start-up").
 *
 * <p>Only plain forms are taken: the options in each command's table, each once, spelled as
 * picocli accepts them, and positional arguments that do not start with '-' (one for
 * attach and core). Anything else (help, --version, an unknown or repeated option, "--", clustered
 * short options, an @argument-file, a value picocli would refuse) gives null, and picocli
 * parses it as always, errors and all. picocli stays the definition of the command line:
 * QuickParseTest parses lines both ways and compares the commands built, and checks every
 * name here against picocli's model.
 */
final class QuickParse {

    /**
     * One command's plain lines: its flags, its options with a value, its positional
     * arguments, when a line is whole (attach needs its PID: without, picocli says so),
     * and the options it declines (a line with one goes to picocli). Every option of the
     * command is one or the other: QuickParseTest fails on an option in neither.
     */
    record Spec<C extends ReportCommand>(Function<Streams, C> make, Map<String, Consumer<C>> flags,
                                         Map<String, BiPredicate<C, String>> valued, BiPredicate<C, String> positional,
                                         Predicate<C> complete, Set<String> declined) {}

    static final Spec<AttachCommand> ATTACH = new Spec<>(AttachCommand::new,
            withCommonFlags(Map.of("--thorough", c -> c.thorough.thorough = true, "--regs", c -> c.regs = true)),
            Map.of("--color", QuickParse::color, "--output", QuickParse::output),
            (c, a) -> {
                if (c.pid != null) return false; // one PID
                c.pid = a;
                return true;
            },
            c -> c.pid != null,
            Set.of("--help", "--version"));

    static final Spec<CheckCommand> CHECK = new Spec<>(io -> {
                CheckCommand c = new CheckCommand(io);
                c.format = Format.text; // picocli's defaultValue
                return c;
            },
            withCommonFlags(Map.of("--thorough", c -> c.thorough.thorough = true, "--all", c -> c.all = true,
                    "--verbose", c -> c.verbose = true)),
            Map.of("--color", QuickParse::color, "--output", QuickParse::output,
                    "--exe", (c, v) -> c.exes.add(v), // once: a repeat is declined like any repeated option
                    "--format", (c, v) -> {
                        c.format = constant(Format.values(), v);
                        return c.format != null;
                    },
                    "--jobs", (c, v) -> {
                        if (!v.matches("[0-9]{1,9}")) return false; // picocli's Integer conversion takes more; it may say so
                        c.jobs = Integer.parseInt(v);
                        return true;
                    }),
            (c, a) -> c.pids.add(a),
            c -> true,
            // --exe twice, --service and --file: picocli's list handling is the definition
            Set.of("--help", "--version", "--service", "--file"));

    static final Spec<CoreCommand> CORE = new Spec<>(CoreCommand::new,
            withCommonFlags(Map.of("--thorough", c -> c.thorough.thorough = true)),
            Map.of("--color", QuickParse::color, "--output", QuickParse::output,
                    "--exe", (c, v) -> (c.exe = path(v)) != null,
                    "--sysroot", (c, v) -> (c.sysroot = path(v)) != null),
            (c, a) -> {
                if (c.corePath != null) return false; // one core
                return (c.corePath = path(a)) != null;
            },
            c -> c.corePath != null,
            Set.of("--help", "--version"));

    static final Map<String, Spec<?>> COMMANDS = Map.of("attach", ATTACH, "check", CHECK, "core", CORE);

    /** Short names picocli also accepts, and the name a repeat is recognised by. */
    static final Map<String, String> ALIASES = Map.of("-q", "--quiet", "-v", "--verbose");

    private QuickParse() {}

    /** The command to run, ready to call, or null when picocli must parse these arguments. */
    static ReportCommand parse(String[] args, Streams io) {
        if (args.length < 1) return null;
        Spec<?> spec = COMMANDS.get(args[0]);
        return spec == null ? null : parse(spec, args, io);
    }

    private static <C extends ReportCommand> C parse(Spec<C> spec, String[] args, Streams io) {
        C c = spec.make().apply(io);
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("@")) return null; // picocli reads arguments from that file
            if (!a.startsWith("-")) {
                if (!spec.positional().test(c, a)) return null;
                continue;
            }
            String name = a, value = null;
            int eq = a.indexOf('=');
            if (eq > 0 && a.startsWith("--")) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            name = ALIASES.getOrDefault(name, name);
            if (!seen.add(name)) return null; // picocli refuses a repeated option: let it say so
            Consumer<C> flag = spec.flags().get(name);
            BiPredicate<C, String> valued = spec.valued().get(name);
            if (flag != null && value == null) {
                flag.accept(c);
            } else if (valued != null) {
                if (value == null) {
                    if (++i >= args.length) return null;
                    value = args[i];
                }
                if (value.isEmpty() || value.startsWith("-") || !valued.test(c, value)) return null;
            } else {
                return null;
            }
        }
        return spec.complete().test(c) ? c : null;
    }

    /** --json and --quiet, which every command has (ReportCommand's mixins), with the command's own flags. */
    private static <C extends ReportCommand> Map<String, Consumer<C>> withCommonFlags(Map<String, Consumer<C>> own) {
        Map<String, Consumer<C>> m = new java.util.HashMap<>(own);
        m.put("--json", c -> c.output.json = true);
        m.put("--quiet", c -> c.outputs.quiet = true);
        return Map.copyOf(m);
    }

    private static boolean color(ReportCommand c, String v) {
        OutputOptions.ColorMode m = constant(OutputOptions.ColorMode.values(), v);
        if (m != null) c.outputs.color = m;
        return m != null;
    }

    private static boolean output(ReportCommand c, String v) {
        c.outputs.file = v;
        return true;
    }

    /** picocli's Path conversion (Path.of), or null when it would refuse the name (picocli then says so). */
    private static java.nio.file.Path path(String v) {
        try {
            return java.nio.file.Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** picocli's enum conversion: the constant's exact name, or null. */
    private static <E extends Enum<E>> E constant(E[] values, String v) {
        for (E e : values) if (e.name().equals(v)) return e;
        return null;
    }
}
