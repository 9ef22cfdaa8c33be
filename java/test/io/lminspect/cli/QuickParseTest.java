package io.lminspect.cli;

import io.lminspect.support.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * QuickParse reads plain attach and check lines without picocli's model. picocli is the
 * definition: what QuickParse takes must build the very command picocli builds, and
 * whatever it is unsure of must go to picocli.
 */
class QuickParseTest {
    private final Streams io = new Streams(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));

    /** Every option a quick table knows is an option of that command in picocli's model, of the same kind. */
    @Test
    void everyNameItKnowsIsPicocliOptionOfTheSameArity() {
        check(QuickParse.ATTACH, new AttachCommand(io));
        check(QuickParse.CHECK, new CheckCommand(io));
        check(QuickParse.CORE, new CoreCommand(io));
    }

    @Test
    void plainCoreLinesBuildTheCommandPicocliBuilds() {
        same(List.of(
                a("core", "core.1"), a("core", "--json", "/tmp/core.1"), a("core", "core.1", "--exe", "/usr/sbin/php-fpm"),
                a("core", "--sysroot=/srv/copy", "--exe=/x", "c"), a("core", "--thorough", "-q", "c"), a("core", "--color", "never", "c"),
                a("core", "--output", "/tmp/r.txt", "c")),
                () -> new CoreCommand(io));
    }

    /** A command that gains an option fails here until its quick table handles or declines it. */
    @Test
    void everyOptionOfTheCommandIsHandledOrDeclined() {
        for (var e : QuickParse.COMMANDS.entrySet()) {
            QuickParse.Spec<?> spec = e.getValue();
            var model = new CommandLine(spec.make().apply(io)).getCommandSpec();
            for (OptionSpec o : model.options()) {
                boolean known = false;
                for (String n : o.names()) {
                    String canonical = QuickParse.ALIASES.getOrDefault(n, n);
                    known |= spec.flags().containsKey(canonical) || spec.valued().containsKey(canonical) || spec.declined().contains(canonical);
                }
                org.junit.jupiter.api.Assertions.assertTrue(known, e.getKey() + " " + o.longestName() + ": neither handled nor declined by QuickParse");
            }
            for (String d : spec.declined()) assertNotNull(model.findOption(d), d + " is declined but is no option of " + e.getKey());
        }
    }

    /** Every option's and positional's value as picocli's model reads it from the command object. */
    private static List<String> modelValues(Object command) {
        var model = new CommandLine(command).getCommandSpec();
        List<String> out = new java.util.ArrayList<>();
        for (OptionSpec o : model.options()) out.add(o.longestName() + "=" + o.getValue());
        for (var p : model.positionalParameters()) out.add(p.paramLabel() + "=" + p.getValue());
        return out;
    }

    private static void check(QuickParse.Spec<?> spec, Object command) {
        var model = new CommandLine(command).getCommandSpec();
        List<String> names = new java.util.ArrayList<>(spec.flags().keySet());
        names.addAll(spec.valued().keySet());
        for (var a : QuickParse.ALIASES.entrySet()) if (names.contains(a.getValue())) names.add(a.getKey());
        for (String name : names) {
            OptionSpec o = model.findOption(name);
            assertNotNull(o, name + " is not an option of " + model.name());
            String canonical = QuickParse.ALIASES.getOrDefault(name, name);
            if (spec.flags().containsKey(canonical)) assertEquals(0, o.arity().max(), name + " takes a value in picocli's model");
            else assertEquals(List.of(1, 1), List.of(o.arity().min(), o.arity().max()), name + " in picocli's model");
        }
    }

    @Test
    void plainAttachLinesBuildTheCommandPicocliBuilds() {
        same(List.of(
                a("attach", "123"), a("attach", "--json", "123"), a("attach", "123", "--json"),
                a("attach", "--thorough", "--regs", "123"), a("attach", "-q", "123"), a("attach", "--quiet", "123"),
                a("attach", "--color=never", "123"), a("attach", "--color", "always", "123"), a("attach", "--color=auto", "1"),
                a("attach", "--output", "/tmp/x.txt", "123"), a("attach", "--output=/tmp/y", "--json", "--thorough", "7"),
                a("attach", "notapid"), a("attach", "0"), a("attach", "99999999999")),
                () -> new AttachCommand(io));
    }

    @Test
    void plainCheckLinesBuildTheCommandPicocliBuilds() {
        same(List.of(
                a("check"), a("check", "--all"), a("check", "1", "2", "3"), a("check", "--all", "--format", "prometheus", "--output", "/tmp/l.prom"),
                a("check", "--format=nagios", "--exe", "nginx"), a("check", "--exe=php-fpm", "--json"), a("check", "-v", "1"),
                a("check", "--verbose", "--thorough", "--jobs", "4", "1"), a("check", "--jobs=007", "--all"), a("check", "-q", "--all"),
                a("check", "--color", "never", "12", "13"), a("check", "x", "y")),
                () -> new CheckCommand(io));
    }

    /** Each line, taken by QuickParse, builds a command whose every option value equals picocli's. */
    private <C extends ReportCommand> void same(List<String[]> lines, java.util.function.Supplier<C> fresh) {
        for (String[] line : lines) {
            @SuppressWarnings("unchecked")
            C quick = (C) QuickParse.parse(line, io);
            assertNotNull(quick, "not taken: " + Arrays.toString(line));
            C slow = fresh.get();
            new CommandLine(slow).parseArgs(Arrays.copyOfRange(line, 1, line.length));
            assertEquals(modelValues(slow), modelValues(quick), Arrays.toString(line));
        }
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        List<String[]> lines = List.of(
                a("attach"), a("preflight", "1", "libm.so.6"), a("attach", "1", "2"), a("attach", "--help"),
                a("attach", "-h", "1"), a("attach", "--version"), a("attach", "-V"), a("attach", "--json", "--json", "1"),
                a("attach", "-q", "--quiet", "1"), a("attach", "--bogus", "1"), a("attach", "--color=bright", "1"),
                a("attach", "--color", "NEVER", "1"), a("attach", "--output"), a("attach", "--output", "--json", "1"),
                a("attach", "--output=", "1"), a("attach", "--", "1"), a("attach", "-qj", "1"), a("attach", "--json=true", "1"),
                a("attach", "-1"), a("attach", "@args.txt"), a("attach", "--json"), a("attach", "1", "--regs=yes"),
                a("attach", "-v", "1"), a("attach", "--all", "1"),
                a("check", "--help"), a("check", "--format", "xml"), a("check", "--format", "JSON"), a("check", "--jobs", "two"),
                a("check", "--jobs", "-1"), a("check", "--jobs=+2"), a("check", "--exe"), a("check", "--all", "--all"),
                a("check", "-v", "--verbose"), a("check", "--regs", "1"), a("check", "-1"), a("check", "@pids"),
                a("core"), a("core", "a", "b"), a("core", "--exe"), a("core", "--exe", "--json", "c"), a("core", "--regs", "c"),
                a("core", "--help"), a("core", "--all", "c"), a("core", "--sysroot", "", "c"));
        for (String[] line : lines) assertNull(QuickParse.parse(line, io), "taken: " + Arrays.toString(line));
    }

    /** The real entry point on a usage error the quick path declined: picocli's one-line message, exit 3. */
    @Test
    void aDeclinedLineGetsPicocliError() {
        Cli.assertOneLineError(Cli.run("attach", "--color=bright", "1"), "--color");
        Cli.assertOneLineError(Cli.run("check", "--format", "xml", "1"), "--format");
    }

    private static String[] a(String... s) {
        return s;
    }
}
