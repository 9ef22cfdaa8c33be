package io.lminspect.cli;

import io.lminspect.inferior.Dpkg;
import io.lminspect.inferior.PackageDatabase;
import io.lminspect.util.Plain;
import io.lminspect.host.FileQuestion;
import io.lminspect.host.HostScanner;
import io.lminspect.host.ServiceResolver;
import io.lminspect.host.ProcessList;
import io.lminspect.host.ScanResult;
import io.lminspect.report.Format;
import io.lminspect.report.model.ScanReport;
import io.lminspect.util.Failure;
import io.lminspect.util.SafeText;
import io.lminspect.util.Timing;
import io.lminspect.util.InspectException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

@Command(name = "check",
        footer = {"  lminspect check --all", "  lminspect check --exe nginx --format nagios", "  lminspect check --all --format prometheus --output /var/lib/prometheus/node-exporter/lminspect.prom"},
        description = {
        "Run every check on many processes (deploy pipelines, monitoring).",
        "In-place rewrites, corrupt link_maps, replaced/deleted files, mappings past EOF, unlisted objects.",
        "Nobody is stopped. Formats: text, json (also --json), nagios, prometheus."})
final class CheckCommand extends ReportCommand {

    @Parameters(paramLabel = "PID", arity = "0..*", description = "processes to check")
    List<String> pids = new ArrayList<>();

    @Option(names = "--all", description = "every process of the host")
    boolean all;

    @Option(names = "--exe", paramLabel = "NAME", description = "only processes whose comm or executable file name is NAME (repeatable)")
    List<String> exes = new ArrayList<>();

    @Option(names = "--service", paramLabel = "GLOB", description = "only processes of a matching service: systemd unit, container or process tree (repeatable; * and ?)")
    List<String> services = new ArrayList<>();

    @Option(names = "--file", paramLabel = "PATH",
            description = "answer for this file alone (repeatable): the file, a symlink to it or a soname; every process unless PIDs or --all narrow it; the exit code counts only findings about it")
    List<String> files = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", description = "text, json, nagios or prometheus (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--jobs", paramLabel = "N", description = "parallel scans, 1 to 256 (default: number of CPUs)")
    Integer jobs;
    static final int MAX_JOBS = 256;

    @Mixin
    ThoroughOption thorough = new ThoroughOption();

    @Option(names = {"-v", "--verbose"}, description = "list clean processes too (text)")
    boolean verbose;

    CheckCommand(Streams io) {
        super(io);
    }

    @Override
    Format format() {
        return output.json ? Format.json : format;
    }

    @Override
    boolean verbose() {
        return verbose;
    }

    @Override
    ScanReport report() {
        if (jobs != null && (jobs < 1 || jobs > MAX_JOBS))
            throw new InspectException(Failure.BAD_ARGUMENT, "--jobs " + jobs + ": give a number of parallel scans from 1 to " + MAX_JOBS);
        question = files.isEmpty() ? null : FileQuestion.of(files); // a name that is nothing: exit 3 before any scan
        List<Integer> selected = select();
        if (selected.isEmpty()) throw new InspectException(Failure.NO_MATCH, SafeText.clean(String.join(", ", narrowing())));
        Timing.mark("select processes");
        long t0 = System.nanoTime();
        // progress is for a person watching: a terminal, text on it, not --quiet
        boolean tty = io.terminal() && selected.size() > 20 && format() == Format.text && outputs.file == null && !outputs.quiet;
        int n = selected.size();
        // each process folded into what the report keeps as soon as it is inspected: its detail only where it is
        // shown (JSON, --verbose) or has a finding, so the scan's memory does not grow with clean processes
        boolean keepClean = format() == Format.json || verbose;
        List<ScanReport.Item> results = new HostScanner(jobs != null ? jobs : Runtime.getRuntime().availableProcessors(), thorough.thorough)
                .scan(selected, done -> {
                    if (tty && (done % 10 == 0 || done == n)) io.err().printf(Plain.LOCALE, "\rscanning %d/%d", done, n);
                }, r -> question == null ? ScanReport.Item.of(r, keepClean) : ScanReport.Item.about(r, keepClean, question::mappedBy, question::about));
        if (tty) io.err().print("\r                    \r");
        Timing.mark("scan");
        // which update did it: the package that owns each replaced or rewritten file, from the host's dpkg database
        PackageDatabase packages = Dpkg.at(java.nio.file.Path.of("/"));
        ScanReport s = ScanReport.ofItems(results, (System.nanoTime() - t0) / 1e9, System.currentTimeMillis());
        packages.expect(s.packageQuestions());
        s = s.withPackages(packages::about);
        Timing.mark("report model");
        if (s.processes().isEmpty() && !pids.isEmpty())
            throw s.skipped().isEmpty() ? new InspectException(Failure.NOTHING_SELECTED)
                    : new InspectException(Failure.NONE_INSPECTED, s.skipped().get(0).pid(), s.skipped().get(0).reason());
        return s;
    }

    private FileQuestion question;

    private List<Integer> select() {
        boolean narrowed = !exes.isEmpty() || !services.isEmpty();
        if (!all && pids.isEmpty() && !narrowed && files.isEmpty())
            throw new InspectException(Failure.NOTHING_SELECTED);
        int self = (int) ProcessHandle.current().pid();
        Set<Integer> out = new LinkedHashSet<>();
        ServiceResolver resolver = services.isEmpty() ? null : new ServiceResolver();
        List<java.util.regex.Pattern> globs = services.stream().map(CheckCommand::glob).toList();
        if (all || (pids.isEmpty() && (narrowed || !files.isEmpty()))) {
            for (int p : ProcessList.all()) if (p != self && chosen(p, resolver, globs)) out.add(p);
        }
        for (String p : pids) {
            int v = Pids.parse(p);
            if (!out.contains(v) && chosen(v, resolver, globs)) out.add(v);
        }
        return new ArrayList<>(out);
    }

    /** --exe (any of them) and --service (any glob) narrow the selection; both given: both must match. */
    private boolean chosen(int pid, ServiceResolver resolver, List<java.util.regex.Pattern> globs) {
        if (!exes.isEmpty() && exes.stream().noneMatch(e -> ProcessList.matchesExe(pid, e))) return false;
        if (globs.isEmpty()) return true;
        io.lminspect.host.Service s;
        try {
            s = resolver.resolve(pid);
        } catch (RuntimeException e) {
            return false; // gone, or not ours to read
        }
        return s != null && globs.stream().anyMatch(g -> g.matcher(s.name()).matches());
    }

    /** A shell-style glob (* any run, ? one character) as a whole-name pattern. */
    static java.util.regex.Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        return java.util.regex.Pattern.compile(re.toString());
    }

    private List<String> narrowing() {
        List<String> n = new ArrayList<>(exes);
        n.addAll(services);
        return n;
    }
}
