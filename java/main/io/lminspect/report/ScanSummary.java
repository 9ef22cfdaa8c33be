package io.lminspect.report;

import io.lminspect.check.Finding;
import io.lminspect.check.FindingCode;
import io.lminspect.check.Severity;
import io.lminspect.host.ScanResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Counts over a host scan, shared by the text, Nagios and Prometheus writers. */
public final class ScanSummary {
    public final List<ScanResult> inspected = new ArrayList<>();
    public final List<ScanResult> skipped = new ArrayList<>();
    public final Map<FindingCode, Integer> findingsByCode = new EnumMap<>(FindingCode.class);
    public final Map<Severity, Integer> processesByWorst = new EnumMap<>(Severity.class);
    public int clean;
    public int kernelThreads;
    public final double seconds;

    public ScanSummary(List<ScanResult> results, double seconds) {
        this.seconds = seconds;
        for (FindingCode c : FindingCode.values()) findingsByCode.put(c, 0);
        for (Severity s : Severity.values()) processesByWorst.put(s, 0);
        for (ScanResult r : results) {
            if (!r.wasInspected()) {
                skipped.add(r);
                if (r.kernelThread()) kernelThreads++;
                continue;
            }
            inspected.add(r);
            for (Finding f : r.inspection().findings()) findingsByCode.merge(f.code(), 1, Integer::sum);
            Severity w = r.inspection().worst();
            if (w == null) clean++;
            else processesByWorst.merge(w, 1, Integer::sum);
        }
        // worst first, then by pid
        inspected.sort(Comparator.comparing((ScanResult r) -> r.inspection().worst() == null ? -1 : r.inspection().worst().ordinal())
                .reversed().thenComparingInt(ScanResult::pid));
    }

    public int exitCode() {
        if (processesByWorst.get(Severity.CRITICAL) > 0) return 2;
        if (processesByWorst.get(Severity.WARNING) > 0) return 1;
        return 0;
    }

    public String statusWord() {
        return switch (exitCode()) {
            case 2 -> "CRITICAL";
            case 1 -> "WARNING";
            default -> "OK";
        };
    }

    public String oneLine() {
        return String.format("%d process%s inspected in %.2f s: %d critical, %d warning, %d info only, %d clean; %d skipped (%d kernel threads)",
                inspected.size(), inspected.size() == 1 ? "" : "es", seconds, processesByWorst.get(Severity.CRITICAL), processesByWorst.get(Severity.WARNING),
                processesByWorst.get(Severity.INFO), clean, skipped.size(), kernelThreads);
    }
}
