package io.lminspect.cli;

import io.lminspect.report.nagios.NagiosRenderer;
import io.lminspect.report.Format;
import io.lminspect.report.model.Report;
import io.lminspect.util.InspectException;
import io.lminspect.util.Timing;
import picocli.CommandLine.Mixin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * A command that builds one report and prints it: the document is built first,
 * then rendered in the chosen format (on stdout, atomically into --output, or not at
 * all with --quiet), and the exit code is the document's own.
 */
/*
 * What every command that prints a report shares, said once: picocli gives a subclass the
 * attributes of its superclass's @Command unless it sets them itself (decode, preflight and
 * who-maps set their own exit codes).
 */
@picocli.CommandLine.Command(mixinStandardHelpOptions = true, versionProvider = Version.class,
        exitCodeListHeading = HelpText.EXIT_HEADING,
        exitCodeList = {HelpText.EXIT_OK, HelpText.EXIT_WARNING, HelpText.EXIT_CRITICAL, HelpText.EXIT_CANNOT},
        footerHeading = HelpText.EXAMPLE_HEADING)
abstract class ReportCommand implements Callable<Integer> {
    protected final Streams io;

    ReportCommand(Streams io) {
        this.io = io;
    }

    /** Inspects and builds the document; throws InspectException when it cannot (exit 3). */
    abstract Report report();

    @Mixin
    JsonOption output = new JsonOption();

    @Mixin
    OutputOptions outputs = new OutputOptions();

    /** Text, or JSON with --json; check adds --format. */
    Format format() {
        return output.format();
    }

    /** check's text lists clean processes too. */
    boolean verbose() {
        return false;
    }

    @Override
    public final Integer call() {
        Timing.mark("parse arguments");
        Report r;
        if (outputs.file != null) AtomicOutput.checkTarget(outputs.file); // before the work: a bad --output is exit 3 at once
        try {
            r = report();
        } catch (InspectException e) {
            // a monitoring agent reads stdout: the plugin protocol's UNKNOWN, then the usual one line on stderr
            if (format() == Format.nagios && !outputs.quiet) NagiosRenderer.unknown(e.getMessage(), io.out());
            throw e;
        }
        var renderer = format().renderer(verbose(), outputs.colorFor(format(), io.terminal()));
        if (outputs.file != null) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream out = AtomicOutput.buffer(buf);
            renderer.render(r, out);
            out.flush();
            AtomicOutput.commit(buf, outputs.file);
        } else if (!outputs.quiet) {
            // the whole document first: an error while rendering is one line on stderr and nothing on stdout
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream out = AtomicOutput.buffer(buf);
            renderer.render(r, out);
            out.flush();
            io.out().write(buf.toByteArray(), 0, buf.size());
            io.out().flush();
        }
        Timing.mark("render");
        return r.exitCode();
    }
}
