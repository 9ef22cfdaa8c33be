package io.lminspect.cli;

import io.lminspect.decode.BinaryResolver;
import io.lminspect.decode.DecodedEvent;
import io.lminspect.decode.EventDecoder;
import io.lminspect.decode.HsErrExplainer;
import io.lminspect.decode.HsErrParser;
import io.lminspect.report.model.HsErrReport;
import io.lminspect.report.model.Report;
import io.lminspect.decode.KernelLineParser;
import io.lminspect.report.model.DecodeReport;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "decode",
        exitCodeList = {"0:at least one line was decoded", HelpText.EXIT_CANNOT},
        footer = {"  journalctl -k | lminspect decode -", "  lminspect decode --binary /usr/bin/qemu-nbd 'qemu-nbd[1234]: segfault at 100 ip 000055d0c2a1b4c6 sp 00007ffd3b2c9f10 error 4 in qemu-nbd[55d0c2a00000+9b000]'"},
        description = {
        "Explain kernel fault lines (segfault, general protection fault, traps, bus errors), or a JVM's hs_err_pid*.log.",
        "From dmesg, journalctl -k or syslog: the error bits, the file offset of ip, and with the binary the",
        "symbol and the instruction bytes. Lines come from the arguments, or from stdin with '-'."})
final class DecodeCommand extends ReportCommand {
    /** Input larger than this is not a log excerpt: refuse it instead of reading without end. */
    private static final int MAX_LINES = 100_000;
    /** A kernel fault line is under 1 KiB; an hs_err line under a few. A longer one is not input we read (rule 7). */
    static final int MAX_LINE_CHARS = 64 * 1024;

    /** One line of at most MAX_LINE_CHARS, or null at the end; a longer line is refused, not read whole into memory. */
    static String readBoundedLine(BufferedReader r) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = r.read()) != -1) {
            if (c == '\n') return b.length() > 0 && b.charAt(b.length() - 1) == '\r' ? b.substring(0, b.length() - 1) : b.toString();
            if (b.length() >= MAX_LINE_CHARS) throw new InspectException(Failure.TOO_MUCH_INPUT, "a line of more than " + MAX_LINE_CHARS + " characters");
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString();
    }

    private final InputStream stdin;

    @Parameters(paramLabel = "LINE", arity = "0..*",
            description = "kernel log lines (a '-' reads them from stdin), or one file: a kernel log or a HotSpot hs_err_pid*.log")
    List<String> lines = new ArrayList<>();

    @Option(names = "--binary", paramLabel = "PATH", description = "the object the line names (else looked up by name)")
    Path binary;

    @Option(names = "--debug-dir", paramLabel = "DIR", description = "debug files by build-id: DIR/.build-id/xx/rest.debug")
    Path debugDir;

    DecodeCommand(Streams io) {
        this(io, System.in);
    }

    DecodeCommand(Streams io, InputStream stdin) {
        super(io);
        this.stdin = stdin;
    }

    @Override
    Report report() {
        Path file = lines.size() == 1 && !lines.get(0).equals("-") ? asFile(lines.get(0)) : null;
        // a path that names nothing (a kernel line always has spaces): say so, not "no fault line"
        if (file == null && lines.size() == 1 && lines.get(0).indexOf('/') >= 0 && lines.get(0).chars().noneMatch(Character::isWhitespace))
            throw new InspectException(Failure.NO_SUCH_FILE, SafeText.clean(lines.get(0)));
        List<String> input = file != null ? readFile(file) : readInput();
        // a HotSpot fatal error log is told by its content, whatever its name
        if (HsErrParser.recognises(input))
            return new HsErrReport(HsErrExplainer.explain(HsErrParser.parse(input), file == null ? null : file.toString()));
        KernelLineParser.Result parsed = KernelLineParser.parse(input);
        if (parsed.events().isEmpty() && file != null)
            throw new InspectException(Failure.NEITHER_LOG, SafeText.clean(file.toString()));
        if (parsed.events().isEmpty())
            throw new InspectException(Failure.NO_FAULT_LINE, input.size());
        for (String u : parsed.unparsed()) io.err().println("lminspect: not a kernel fault line, skipped: " + u);
        try (BinaryResolver resolver = new BinaryResolver(binary, debugDir)) {
            EventDecoder decoder = new EventDecoder(resolver);
            List<DecodedEvent> out = new ArrayList<>();
            for (var e : parsed.events()) out.add(decoder.decode(e));
            return new DecodeReport(List.copyOf(out), parsed.unparsed().size());
        }
    }

    /** The argument as a file to read, when it names one (a kernel line never does: it has spaces and brackets). */
    private static Path asFile(String arg) {
        try {
            Path p = Path.of(arg);
            return java.nio.file.Files.isRegularFile(p) ? p : null;
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private static List<String> readFile(Path p) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = java.nio.file.Files.newBufferedReader(p, StandardCharsets.ISO_8859_1)) {
            readAll(r, out, "in " + SafeText.clean(p.toString()));
        } catch (IOException e) {
            throw new InspectException(Failure.IO_ERROR, "read " + SafeText.clean(p.toString()), e.getMessage()).because(e);
        }
        return out;
    }

    /** Every line of r onto out, MAX_LINES at most in all (where: "on stdin", "in FILE", for the error). */
    private static void readAll(BufferedReader r, List<String> out, String where) throws IOException {
        for (String l; (l = readBoundedLine(r)) != null; ) {
            if (out.size() >= MAX_LINES) throw new InspectException(Failure.TOO_MUCH_INPUT, MAX_LINES + " lines " + where);
            out.add(l);
        }
    }

    private List<String> readInput() {
        List<String> out = new ArrayList<>();
        boolean fromStdin = lines.isEmpty() || lines.contains("-");
        if (lines.isEmpty() && System.console() != null)
            throw new InspectException(Failure.NO_LINES);
        for (String a : lines) if (!a.equals("-")) out.addAll(List.of(a.split("\r?\n")));
        if (fromStdin) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
                readAll(r, out, "on stdin");
            } catch (IOException e) {
                throw new InspectException(Failure.IO_ERROR, "read stdin", e.getMessage()).because(e);
            }
        }
        return out;
    }
}
