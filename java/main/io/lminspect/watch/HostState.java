package io.lminspect.watch;

import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.ScanReport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The host as check would report it now, for --listen and --textfile: the last
 * inspection of every watched process, kept slim (findings, who, service — not the
 * entry list) so memory stays proportional to findings, not to loaded objects.
 */
final class HostState {
    private final Map<Integer, ProcessReport> reports = new HashMap<>();
    private final Map<Integer, ScanReport.Skip> skipped = new HashMap<>();
    private double lastScanSeconds;
    private long lastScanMillis;

    synchronized void put(ProcessReport p) {
        int pid = p.target().pid();
        skipped.remove(pid);
        reports.put(pid, p.slim());
    }

    synchronized void skip(ScanReport.Skip s) {
        reports.remove(s.pid());
        skipped.put(s.pid(), s);
    }

    synchronized void remove(int pid) {
        reports.remove(pid);
        skipped.remove(pid);
    }

    synchronized void scanned(double seconds, long finishedMillis) {
        lastScanSeconds = seconds;
        lastScanMillis = finishedMillis;
    }

    synchronized ScanReport snapshot() {
        return ScanReport.of(new ArrayList<>(reports.values()), new ArrayList<>(skipped.values()), lastScanSeconds, lastScanMillis);
    }
}
