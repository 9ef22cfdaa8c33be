package io.lminspect.cli;

import org.junit.jupiter.api.Test;
import io.lminspect.support.Cli;
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
 * QuickAttach reads plain attach command lines without picocli's model. picocli is the
 * definition: what QuickAttach takes must build the very command picocli builds, and
 * whatever it is unsure of must go to picocli.
 */
class QuickAttachTest {
    private final Streams io = new Streams(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));

    /** Every option the quick path knows is an option of attach in picocli's model, of the same kind. */
    @Test
    void everyNameItKnowsIsPicocliOptionOfTheSameArity() {
        var spec = new CommandLine(new AttachCommand(io)).getCommandSpec();
        for (String f : QuickAttach.FLAGS) {
            OptionSpec o = spec.findOption(f);
            assertNotNull(o, f + " is not an option of attach");
            assertEquals(0, o.arity().max(), f + " takes a value in picocli's model");
        }
        for (String v : QuickAttach.VALUED) {
            OptionSpec o = spec.findOption(v);
            assertNotNull(o, v + " is not an option of attach");
            assertEquals(1, o.arity().min(), v + " takes no value in picocli's model");
            assertEquals(1, o.arity().max(), v);
        }
    }

    @Test
    void plainFormsBuildTheCommandPicocliBuilds() {
        List<String[]> lines = List.of(
                a("attach", "123"), a("attach", "--json", "123"), a("attach", "123", "--json"),
                a("attach", "--thorough", "--regs", "123"), a("attach", "-q", "123"), a("attach", "--quiet", "123"),
                a("attach", "--color=never", "123"), a("attach", "--color", "always", "123"), a("attach", "--color=auto", "1"),
                a("attach", "--output", "/tmp/x.txt", "123"), a("attach", "--output=/tmp/y", "--json", "--thorough", "7"),
                a("attach", "notapid"), a("attach", "0"), a("attach", "99999999999"));
        for (String[] line : lines) {
            AttachCommand quick = QuickAttach.parse(line, io);
            assertNotNull(quick, "not taken: " + Arrays.toString(line));
            AttachCommand slow = new AttachCommand(io);
            new CommandLine(slow).parseArgs(Arrays.copyOfRange(line, 1, line.length));
            assertEquals(state(slow), state(quick), Arrays.toString(line));
        }
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        List<String[]> lines = List.of(
                a("attach"), a("check", "1"), a("attach", "1", "2"), a("attach", "--help"), a("attach", "-h", "1"),
                a("attach", "--version"), a("attach", "-V"), a("attach", "--json", "--json", "1"), a("attach", "-q", "--quiet", "1"),
                a("attach", "--bogus", "1"), a("attach", "--color=bright", "1"), a("attach", "--color", "NEVER", "1"),
                a("attach", "--output"), a("attach", "--output", "--json", "1"), a("attach", "--output=", "1"),
                a("attach", "--", "1"), a("attach", "-qj", "1"), a("attach", "--json=true", "1"), a("attach", "-1"),
                a("attach", "@args.txt"), a("attach", "--json"), a("attach", "1", "--regs=yes"));
        for (String[] line : lines) assertNull(QuickAttach.parse(line, io), "taken: " + Arrays.toString(line));
    }

    /** The real entry point on a usage error the quick path declined: picocli's one-line message, exit 3. */
    @Test
    void aDeclinedLineGetsPicocliError() {
        Cli.assertOneLineError(Cli.run("attach", "--color=bright", "1"), "--color");
    }

    private static String[] a(String... s) {
        return s;
    }

    private static List<Object> state(AttachCommand c) {
        return Arrays.asList(c.pid, c.thorough.thorough, c.regs, c.output.json, c.outputs.file, c.outputs.quiet, c.outputs.color);
    }
}
