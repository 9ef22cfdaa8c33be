package io.lminspect.report;

import io.lminspect.check.Finding;
import io.lminspect.check.FindingCode;
import io.lminspect.check.Severity;
import io.lminspect.host.ScanResult;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus text exposition for node_exporter's textfile collector: every
 * series present with explicit zeros, so an alert can tell "fixed" from "gone".
 */
public final class ScanPrometheus {
    private ScanPrometheus() {}

    public static void write(PrintStream out, ScanSummary s, long nowMillis) {
        out.println("# HELP lminspect_findings Findings of the last scan, by code.");
        out.println("# TYPE lminspect_findings gauge");
        for (FindingCode c : FindingCode.values())
            out.printf("lminspect_findings{code=\"%s\"} %d%n", c.name(), s.findingsByCode.get(c));
        out.println("# HELP lminspect_processes Processes of the last scan, by their worst finding (ok = none).");
        out.println("# TYPE lminspect_processes gauge");
        out.printf("lminspect_processes{worst=\"critical\"} %d%n", s.processesByWorst.get(Severity.CRITICAL));
        out.printf("lminspect_processes{worst=\"warning\"} %d%n", s.processesByWorst.get(Severity.WARNING));
        out.printf("lminspect_processes{worst=\"info\"} %d%n", s.processesByWorst.get(Severity.INFO));
        out.printf("lminspect_processes{worst=\"ok\"} %d%n", s.clean);
        out.println("# HELP lminspect_processes_scanned Processes inspected by the last scan.");
        out.println("# TYPE lminspect_processes_scanned gauge");
        out.printf("lminspect_processes_scanned %d%n", s.inspected.size());
        out.println("# HELP lminspect_processes_skipped Processes skipped by the last scan (kernel threads, exited, not readable).");
        out.println("# TYPE lminspect_processes_skipped gauge");
        out.printf("lminspect_processes_skipped %d%n", s.skipped.size());
        out.println("# HELP lminspect_scan_duration_seconds Wall time of the last scan.");
        out.println("# TYPE lminspect_scan_duration_seconds gauge");
        out.printf(Locale.ROOT, "lminspect_scan_duration_seconds %.3f%n", s.seconds);
        out.println("# HELP lminspect_last_scan_timestamp_seconds When the last scan finished.");
        out.println("# TYPE lminspect_last_scan_timestamp_seconds gauge");
        out.printf(Locale.ROOT, "lminspect_last_scan_timestamp_seconds %.3f%n", nowMillis / 1000.0);
        out.println("# HELP lminspect_process_findings Findings per process with any warning or critical finding.");
        out.println("# TYPE lminspect_process_findings gauge");
        for (ScanResult r : s.inspected) {
            Map<String, Integer> byCode = new TreeMap<>();
            for (Finding f : r.inspection().findings())
                if (f.severity() != Severity.INFO) byCode.merge(f.code().name(), 1, Integer::sum);
            String comm = label(r.inspection().target().identity().comm());
            for (Map.Entry<String, Integer> e : byCode.entrySet())
                out.printf("lminspect_process_findings{pid=\"%d\",comm=\"%s\",code=\"%s\"} %d%n", r.pid(), comm, e.getKey(), e.getValue());
        }
    }

    /** Label values: escape backslash, quote and newline as the exposition format requires; printable ASCII only. */
    static String label(String v) {
        if (v == null) return "";
        StringBuilder sb = new StringBuilder();
        for (char c : v.toCharArray()) {
            if (c == '\\') sb.append("\\\\");
            else if (c == '"') sb.append("\\\"");
            else if (c == '\n') sb.append("\\n");
            else if (c >= 0x20 && c < 0x7f) sb.append(c);
            else sb.append('?');
        }
        return sb.toString();
    }
}
