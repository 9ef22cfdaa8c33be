package io.lminspect.cli;

import io.lminspect.host.HostScanner;
import io.lminspect.host.ProcessList;
import io.lminspect.host.ScanResult;
import io.lminspect.report.Json;
import io.lminspect.report.ScanJson;
import io.lminspect.report.ScanNagios;
import io.lminspect.report.ScanPrometheus;
import io.lminspect.report.ScanSummary;
import io.lminspect.report.ScanText;
import io.lminspect.util.InspectException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true, version = "lminspect 0.1.0", description = {
        "Run every check on many processes (deploy pipelines, monitoring).",
        "In-place rewrites, corrupt link_maps, replaced/deleted files, mappings past EOF, unlisted objects.",
        "Nobody is stopped. Formats: text, json (also --json), nagios, prometheus."})
final class CheckCommand implements Callable<Integer> {
    enum Format { text, json, nagios, prometheus }

    private final Streams io;

    @Parameters(paramLabel = "PID", arity = "0..*", description = "processes to check")
    List<String> pids = new ArrayList<>();

    @Option(names = "--all", description = "every process of the host")
    boolean all;

    @Option(names = "--exe", paramLabel = "NAME", description = "only processes whose comm or executable file name is NAME")
    String exe;

    @Option(names = "--format", defaultValue = "text", description = "text, json, nagios or prometheus (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--json", description = "same as --format json")
    boolean json;

    @Option(names = "--output", paramLabel = "FILE", description = "write to FILE atomically (temp file + rename), e.g. for the textfile collector")
    String output;

    @Option(names = "--jobs", paramLabel = "N", description = "parallel scans (default: number of CPUs)")
    Integer jobs;

    @Option(names = {"-v", "--verbose"}, description = "list clean processes too (text)")
    boolean verbose;

    CheckCommand(Streams io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if (json) format = Format.json;
        List<Integer> selected = select();
        long t0 = System.nanoTime();
        boolean tty = System.console() != null && selected.size() > 20 && format == Format.text && output == null;
        int n = selected.size();
        List<ScanResult> results = new HostScanner(jobs != null ? jobs : Runtime.getRuntime().availableProcessors())
                .scan(selected, done -> {
                    if (tty && (done % 10 == 0 || done == n)) io.err().printf("\rscanning %d/%d", done, n);
                });
        if (tty) io.err().print("\r                    \r");
        ScanSummary s = new ScanSummary(results, (System.nanoTime() - t0) / 1e9);
        if (s.inspected.isEmpty() && !pids.isEmpty())
            throw new InspectException(s.skipped.isEmpty() ? "nothing to check" : "could not inspect any of the processes: pid "
                    + s.skipped.get(0).pid() + ": " + s.skipped.get(0).skipReason());

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = output != null ? AtomicOutput.buffer(buf) : io.out();
        switch (format) {
            case json -> {
                try (Json j = new Json(out)) {
                    ScanJson.write(j, s);
                }
            }
            case nagios -> ScanNagios.write(out, s);
            case prometheus -> ScanPrometheus.write(out, s, System.currentTimeMillis());
            default -> ScanText.write(out, s, verbose);
        }
        out.flush();
        if (output != null) AtomicOutput.commit(buf, output);
        return s.exitCode();
    }

    private List<Integer> select() {
        if (!all && pids.isEmpty() && exe == null)
            throw new InspectException("name processes to check: PID..., --all, or --exe NAME");
        int self = (int) ProcessHandle.current().pid();
        List<Integer> out = new ArrayList<>();
        if (all || (pids.isEmpty() && exe != null)) {
            for (int p : ProcessList.all()) if (p != self && (exe == null || ProcessList.matchesExe(p, exe))) out.add(p);
        }
        for (String p : pids) {
            int v = Pids.parse(p);
            if (!out.contains(v) && (exe == null || ProcessList.matchesExe(v, exe))) out.add(v);
        }
        return out;
    }
}
