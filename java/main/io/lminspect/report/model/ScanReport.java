package io.lminspect.report.model;

import io.lminspect.check.Finding;
import io.lminspect.check.FindingCode;
import io.lminspect.check.Severity;
import io.lminspect.host.ScanResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** check: every process inspected (worst first), every one skipped and why, and the counts over them. */
public record ScanReport(List<ProcessReport> processes, List<Skip> skipped, double seconds, long finishedEpochMillis)
        implements Report {

    /** A process that was not inspected: exited, unreadable, or a kernel thread. */
    public record Skip(int pid, String reason, boolean kernelThread) {}

    public static ScanReport of(List<ScanResult> results, double seconds, long finishedEpochMillis) {
        List<ProcessReport> inspected = new ArrayList<>();
        List<Skip> skipped = new ArrayList<>();
        for (ScanResult r : results) {
            if (r.wasInspected()) inspected.add(ProcessReport.of(r.inspection()));
            else skipped.add(new Skip(r.pid(), r.skipReason(), r.kernelThread()));
        }
        inspected.sort(Comparator.comparing((ProcessReport p) -> p.worst() == null ? -1 : p.worst().ordinal()).reversed()
                .thenComparingInt(p -> p.target().pid()));
        return new ScanReport(List.copyOf(inspected), List.copyOf(skipped), seconds, finishedEpochMillis);
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

    @Override
    public int exitCode() {
        Severity worst = null;
        for (ProcessReport p : processes) if (p.worst() != null && (worst == null || p.worst().compareTo(worst) > 0)) worst = p.worst();
        return ExitCode.forWorst(worst);
    }
}
