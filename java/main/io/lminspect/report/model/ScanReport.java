package io.lminspect.report.model;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.host.ScanResult;
import io.lminspect.host.Service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * check: every process inspected (worst first), every one skipped and why; and the
 * host's answer: one group per cause and file (which processes, which services),
 * and the restart plan (one entry per unit, container or process tree, worst first).
 */
public record ScanReport(List<ProcessReport> processes, List<Skip> skipped, double seconds, long finishedEpochMillis,
                         List<Group> groups, List<Restart> restart) implements Report {

    /** A process that was not inspected: exited, unreadable, or a kernel thread. */
    /** unread: the process exists but could not be read, so the scan's answer does not cover it. */
    public record Skip(int pid, String reason, boolean kernelThread, boolean unread) {
        public static Skip of(io.lminspect.host.ScanResult r) {
            return new Skip(r.pid(), r.skipReason(), r.kernelThread(), r.skipKind() == io.lminspect.host.ScanResult.SkipKind.UNREAD);
        }
    }

    /**
     * One cause in one file across the host: the processes it hits and the services they
     * belong to (pids per service, in service order). dev and inode are -1 when the
     * finding names no mapped file (a broken chain entry).
     */
    public record Group(FindingCode code, Severity severity, String file, long dev, long inode, List<Integer> pids,
                        Map<Service, List<Integer>> pidsByService, Set<String> exes, Finding example, Owner owner) {
        public List<Service> services() {
            return List.copyOf(pidsByService.keySet());
        }

        /** Whether the package that owns the file is asked about: a file replaced or rewritten (an update's doing, or not). */
        public boolean asksPackage() {
            return dev >= 0 && (code == FindingCode.FILE_REPLACED || code == FindingCode.FILE_REWRITTEN_IN_PLACE);
        }
    }

    /**
     * Who owns a group's file: the package and its last change, or (info null) no package; null
     * on the group itself when it was not asked (a finding an update cannot explain).
     */
    public record Owner(io.lminspect.inferior.PackageInfo info) {}

    /** The same report with the owner of every replaced or rewritten file looked up (before rendering: documents are values). */
    /** The files whose package withPackages will ask about. */
    public List<String> packageQuestions() {
        return groups.stream().filter(Group::asksPackage).map(Group::file).toList();
    }

    public ScanReport withPackages(java.util.function.Function<String, java.util.Optional<io.lminspect.inferior.PackageInfo>> db) {
        List<Group> out = new ArrayList<>(groups.size());
        for (Group g : groups)
            out.add(!g.asksPackage() ? g : new Group(g.code(), g.severity(), g.file(), g.dev(), g.inode(), g.pids(), g.pidsByService(), g.exes(),
                    g.example(), new Owner(db.apply(g.file()).orElse(null))));
        return new ScanReport(processes, skipped, seconds, finishedEpochMillis, List.copyOf(out), restart);
    }

    /** What to restart: a service with a warning or critical finding, its processes and the files that need it. */
    public record Restart(Service service, List<Integer> pids, Severity severity, List<String> files) {}

    public static ScanReport of(List<ScanResult> results, double seconds, long finishedEpochMillis) {
        List<Item> items = new ArrayList<>();
        for (ScanResult r : results) items.add(Item.of(r, true));
        return ofItems(items, seconds, finishedEpochMillis);
    }

    /** One process of a scan as the report keeps it: its report, or why it was skipped. */
    public record Item(ProcessReport report, Skip skip) {
        /**
         * keepClean: whether a process without any finding keeps its detail (its entries, for JSON
         * and --verbose); otherwise only what the host answer needs of it is kept.
         */
        public static Item of(ScanResult r, boolean keepClean) {
            if (!r.wasInspected()) return new Item(null, Skip.of(r));
            ProcessReport p = ProcessReport.of(r.inspection()).withService(r.service());
            return new Item(keepClean || !p.findings().isEmpty() ? p : p.slim(), null);
        }

        /**
         * For `check --file`: a process that maps none of the files is left out, and a process that
         * does keeps only the findings about them (the exit code counts nothing else).
         */
        public static Item about(ScanResult r, boolean keepClean, java.util.function.Predicate<io.lminspect.inferior.Target> maps,
                                 java.util.function.Predicate<Finding> about) {
            if (!r.wasInspected()) return new Item(null, Skip.of(r));
            if (!maps.test(r.inspection().target())) return new Item(null, null);
            ProcessReport p = ProcessReport.of(r.inspection()).withService(r.service()).onlyFindings(about);
            return new Item(keepClean || !p.findings().isEmpty() ? p : p.slim(), null);
        }
    }

    public static ScanReport ofItems(List<Item> items, double seconds, long finishedEpochMillis) {
        List<ProcessReport> inspected = new ArrayList<>();
        List<Skip> skipped = new ArrayList<>();
        for (Item i : items) {
            if (i.report() != null) inspected.add(i.report());
            else if (i.skip() != null) skipped.add(i.skip()); // neither: a process the question is not about
        }
        return of(inspected, skipped, seconds, finishedEpochMillis);
    }

    public static ScanReport of(List<ProcessReport> processes, List<Skip> skipped, double seconds, long finishedEpochMillis) {
        List<ProcessReport> sorted = new ArrayList<>(processes);
        sorted.sort(Comparator.comparing((ProcessReport p) -> p.worst() == null ? -1 : p.worst().ordinal()).reversed()
                .thenComparingInt(p -> p.target().pid()));
        return new ScanReport(List.copyOf(sorted), List.copyOf(skipped), seconds, finishedEpochMillis, groups(sorted), restart(sorted));
    }

    /** A process's service; a process nobody resolved is a tree of its own. */
    public static Service serviceOf(ProcessReport p) {
        if (p.service() != null) return p.service();
        String exe = p.target().exe() == null ? "?" : p.target().exe();
        return Service.processTree(exe.substring(exe.lastIndexOf('/') + 1), p.target().pid());
    }

    /** owner: the pid for a finding that names no mapped file (a broken chain entry is that process's own), else 0. */
    private record GroupKey(FindingCode code, String file, long dev, long inode, int owner) {}

    private static List<Group> groups(List<ProcessReport> processes) {
        Map<GroupKey, List<Object[]>> hits = new LinkedHashMap<>();
        for (ProcessReport p : processes) {
            Set<GroupKey> seen = new LinkedHashSet<>();
            for (Finding f : p.findings()) {
                ProcessReport.MappedFile file = p.fileOf(f);
                GroupKey k = new GroupKey(f.code(), file.path(), file.dev(), file.inode(), file.dev() < 0 ? p.target().pid() : 0);
                if (seen.add(k)) hits.computeIfAbsent(k, x -> new ArrayList<>()).add(new Object[]{p, f});
            }
        }
        List<Group> out = new ArrayList<>();
        for (Map.Entry<GroupKey, List<Object[]>> e : hits.entrySet()) {
            Severity worst = null;
            TreeSet<Integer> pids = new TreeSet<>();
            Map<Service, List<Integer>> byService = new LinkedHashMap<>();
            Set<String> exes = new TreeSet<>();
            Finding example = null;
            for (Object[] hit : e.getValue()) {
                ProcessReport p = (ProcessReport) hit[0];
                Finding f = (Finding) hit[1];
                if (worst == null || f.severity().compareTo(worst) > 0) {
                    worst = f.severity();
                    example = f;
                }
                pids.add(p.target().pid());
                byService.computeIfAbsent(serviceOf(p), s -> new ArrayList<>()).add(p.target().pid());
                if (p.target().exe() != null) exes.add(p.target().exe());
            }
            GroupKey k = e.getKey();
            out.add(new Group(k.code(), worst, k.file(), k.dev(), k.inode(), List.copyOf(pids), byService, exes, example, null));
        }
        // within a severity: the widest first, then codes in their documented order (the most telling first)
        out.sort(Comparator.comparing(Group::severity).reversed().thenComparing(g -> -g.pids().size())
                .thenComparing(Group::code).thenComparing(g -> String.valueOf(g.file())));
        return List.copyOf(out);
    }

    private static List<Restart> restart(List<ProcessReport> processes) {
        Map<Service, List<ProcessReport>> byService = new LinkedHashMap<>();
        for (ProcessReport p : processes) {
            if (p.exitCode() == ExitCode.OK) continue; // info only: nothing to restart for
            byService.computeIfAbsent(serviceOf(p), s -> new ArrayList<>()).add(p);
        }
        List<Restart> out = new ArrayList<>();
        for (Map.Entry<Service, List<ProcessReport>> e : byService.entrySet()) {
            Severity worst = null;
            TreeSet<Integer> pids = new TreeSet<>();
            Set<String> files = new TreeSet<>();
            for (ProcessReport p : e.getValue()) {
                pids.add(p.target().pid());
                for (Finding f : p.findings()) {
                    if (f.severity() == Severity.INFO) continue;
                    if (worst == null || f.severity().compareTo(worst) > 0) worst = f.severity();
                    files.add(p.fileOf(f).path());
                }
            }
            out.add(new Restart(e.getKey(), List.copyOf(pids), worst, List.copyOf(files)));
        }
        out.sort(Comparator.comparing(Restart::severity).reversed().thenComparing(r -> -r.pids().size())
                .thenComparing(r -> r.service().name()));
        return List.copyOf(out);
    }

    /** Findings over all processes, by code, every code present (explicit zeros for Prometheus). */
    public Map<FindingCode, Integer> findingsByCode() {
        Map<FindingCode, Integer> m = new EnumMap<>(FindingCode.class);
        for (FindingCode c : FindingCode.values()) m.put(c, 0);
        for (ProcessReport p : processes) for (Finding f : p.findings()) m.merge(f.code(), 1, Integer::sum);
        return m;
    }

    /** Processes by their worst finding; every severity present. */
    public Map<Severity, Integer> processesByWorst() {
        Map<Severity, Integer> m = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) m.put(s, 0);
        for (ProcessReport p : processes) if (p.worst() != null) m.merge(p.worst(), 1, Integer::sum);
        return m;
    }

    /** Processes without any finding. */
    public int clean() {
        return (int) processes.stream().filter(p -> p.findings().isEmpty()).count();
    }

    public int kernelThreads() {
        return (int) skipped.stream().filter(Skip::kernelThread).count();
    }

    /** Processes that exist but could not be read (permission, a failure): the view is partial. */
    public int unread() {
        return (int) skipped.stream().filter(Skip::unread).count();
    }

    /**
     * The worst finding's code; but a partial view is never reported as clean (rule 6): when
     * processes could not be read and nothing critical was found, UNKNOWN (3), since what the
     * unread processes hold is not known. A critical finding stays 2: that is the news either way.
     */
    @Override
    public int exitCode() {
        int byFindings = ExitCode.forFindings(processes.stream().flatMap(p -> p.findings().stream()).toList());
        return unread() > 0 && byFindings != ExitCode.CRITICAL ? ExitCode.CANNOT_INSPECT : byFindings;
    }
}
