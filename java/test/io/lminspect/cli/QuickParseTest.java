package io.lminspect.cli;

import io.lminspect.support.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

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
                () -> new AttachCommand(io),
                c -> Arrays.asList(c.pid, c.thorough.thorough, c.regs, c.output.json, c.outputs.file, c.outputs.quiet, c.outputs.color));
    }

    @Test
    void plainCheckLinesBuildTheCommandPicocliBuilds() {
        same(List.of(
                a("check"), a("check", "--all"), a("check", "1", "2", "3"), a("check", "--all", "--format", "prometheus", "--output", "/tmp/l.prom"),
                a("check", "--format=nagios", "--exe", "nginx"), a("check", "--exe=php-fpm", "--json"), a("check", "-v", "1"),
                a("check", "--verbose", "--thorough", "--jobs", "4", "1"), a("check", "--jobs=007", "--all"), a("check", "-q", "--all"),
                a("check", "--color", "never", "12", "13"), a("check", "x", "y")),
                () -> new CheckCommand(io),
                c -> Arrays.asList(c.pids, c.all, c.exes, c.services, c.files, c.format, c.jobs, c.verbose, c.thorough.thorough, c.output.json,
                        c.outputs.file, c.outputs.quiet, c.outputs.color));
    }

    private <C extends ReportCommand> void same(List<String[]> lines, java.util.function.Supplier<C> fresh, Function<C, List<Object>> state) {
        for (String[] line : lines) {
            @SuppressWarnings("unchecked")
            C quick = (C) QuickParse.parse(line, io);
            assertNotNull(quick, "not taken: " + Arrays.toString(line));
            C slow = fresh.get();
            new CommandLine(slow).parseArgs(Arrays.copyOfRange(line, 1, line.length));
            assertEquals(state.apply(slow), state.apply(quick), Arrays.toString(line));
        }
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        List<String[]> lines = List.of(
                a("attach"), a("core", "x"), a("preflight", "1", "libm.so.6"), a("attach", "1", "2"), a("attach", "--help"),
                a("attach", "-h", "1"), a("attach", "--version"), a("attach", "-V"), a("attach", "--json", "--json", "1"),
                a("attach", "-q", "--quiet", "1"), a("attach", "--bogus", "1"), a("attach", "--color=bright", "1"),
                a("attach", "--color", "NEVER", "1"), a("attach", "--output"), a("attach", "--output", "--json", "1"),
                a("attach", "--output=", "1"), a("attach", "--", "1"), a("attach", "-qj", "1"), a("attach", "--json=true", "1"),
                a("attach", "-1"), a("attach", "@args.txt"), a("attach", "--json"), a("attach", "1", "--regs=yes"),
                a("attach", "-v", "1"), a("attach", "--all", "1"),
                a("check", "--help"), a("check", "--format", "xml"), a("check", "--format", "JSON"), a("check", "--jobs", "two"),
                a("check", "--jobs", "-1"), a("check", "--jobs=+2"), a("check", "--exe"), a("check", "--all", "--all"),
                a("check", "-v", "--verbose"), a("check", "--regs", "1"), a("check", "-1"), a("check", "@pids"));
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
