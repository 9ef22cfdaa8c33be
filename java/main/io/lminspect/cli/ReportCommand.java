package io.lminspect.cli;

import io.lminspect.report.Format;
import io.lminspect.report.model.Report;
import io.lminspect.util.InspectException;
import picocli.CommandLine.Mixin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * A command that builds one report and prints it: the document is built first,
 * then rendered in the chosen format (on stdout, or atomically into --output),
 * and the exit code is the document's own.
 */
abstract class ReportCommand implements Callable<Integer> {
    protected final Streams io;

    ReportCommand(Streams io) {
        this.io = io;
    }

    /** Inspects and builds the document; throws InspectException when it cannot (exit 3). */
    abstract Report report();

    @Mixin
    JsonOption output = new JsonOption();

    /** Text, or JSON with --json; check adds --format. */
    Format format() {
        return output.format();
    }

    /** check's text lists clean processes too. */
    boolean verbose() {
        return false;
    }

    /** --output FILE, where the command has it. */
    String outputFile() {
        return null;
    }

    @Override
    public final Integer call() {
        Report r;
        try {
            r = report();
        } catch (InspectException e) {
            // a monitoring agent reads stdout: the plugin protocol's UNKNOWN, then the usual one line on stderr
            if (format() == Format.nagios) io.out().println("LMINSPECT UNKNOWN - " + e.getMessage().replace('|', '/'));
            throw e;
        }
        var renderer = format().renderer(verbose());
        if (outputFile() == null) {
            renderer.render(r, io.out());
            io.out().flush();
        } else {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream out = AtomicOutput.buffer(buf);
            renderer.render(r, out);
            out.flush();
            AtomicOutput.commit(buf, outputFile());
        }
        return r.exitCode();
    }
}
