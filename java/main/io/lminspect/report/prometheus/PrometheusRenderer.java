package io.lminspect.report.prometheus;

import io.lminspect.util.Plain;
import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.report.Renderer;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.Report;
import io.lminspect.report.model.Change;
import io.lminspect.report.model.ScanReport;
import io.lminspect.report.model.WatchStatus;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus text exposition of check, for node_exporter's textfile collector:
 * every series present with explicit zeros, so an alert can tell "fixed" from "gone".
 */
public final class PrometheusRenderer implements Renderer {

    @Override
    public void render(Report r, PrintStream out) {
        if (r instanceof WatchStatus w) {
            scan(w.host(), out);
            watch(w, out);
            return;
        }
        if (!(r instanceof ScanReport s)) throw Renderer.unsupported("Prometheus", r);
        scan(s, out);
    }

    /** A watch's own counters, after the host's state (what `check --all --format prometheus` prints). */
    private static void watch(WatchStatus c, PrintStream out) {
        type(out, "lminspect_watch_events_total", "counter", "Change events reported, by change.");
        for (Change ch : Change.values())
            out.printf(Plain.LOCALE, "lminspect_watch_events_total{change=\"%s\"} %d%n", ch.json, c.events().getOrDefault(ch, 0L));
        one(out, "lminspect_watch_notifications_total", "counter", "File-system notifications read (most name files no process maps).", c.notifications());
        one(out, "lminspect_watch_queue_overflows_total", "counter", "Times the kernel dropped notifications (every file was then looked at).", c.overflows());
        one(out, "lminspect_watch_rescans_total", "counter", "Periodic rescans of /proc/PID/maps.", c.rescans());
        one(out, "lminspect_watch_unindexed_writes_resolved_total", "counter",
                "Writes to a library no indexed process mapped, found mapped by a quick rescan (loaded since the last rescan).", c.unindexedResolved());
        type(out, "lminspect_watch_rescan_duration_seconds", "gauge",
                "Wall time of the last periodic rescan of every /proc/PID/maps (inspecting the processes it found new or changed not included).");
        out.printf(Plain.LOCALE, "lminspect_watch_rescan_duration_seconds %.4f%n", c.lastRescanSeconds());
        one(out, "lminspect_watch_rescan_changed_processes", "gauge", "Processes the last rescan found new or with a changed set of mapped files.", c.lastRescanChanged());
        one(out, "lminspect_watch_processes", "gauge", "Processes whose mappings are indexed.", c.processes());
        one(out, "lminspect_watch_files", "gauge", "Distinct files (device and inode) the indexed processes map.", c.files());
        one(out, "lminspect_watch_exec_total", "counter", "--exec commands started.", c.execRun());
        one(out, "lminspect_watch_exec_dropped_total", "counter", "--exec commands not started because too many were queued.", c.execDropped());
    }

    /** A metric of one series: its help, its type, its value. */
    private static void one(PrintStream out, String name, String type, String help, long value) {
        type(out, name, type, help);
        out.printf(Plain.LOCALE, "%s %d%n", name, value);
    }

    private static void type(PrintStream out, String name, String type, String help) {
        out.println("# HELP " + name + " " + help);
        out.println("# TYPE " + name + " " + type);
    }

    private static void scan(ScanReport s, PrintStream out) {
        Map<FindingCode, Integer> byCode = s.findingsByCode();
        Map<Severity, Integer> worst = s.processesByWorst();
        gauge(out, "lminspect_findings", "Findings of the last scan, by code.");
        for (FindingCode c : FindingCode.values()) out.printf(Plain.LOCALE, "lminspect_findings{code=\"%s\"} %d%n", c.name(), byCode.get(c));
        gauge(out, "lminspect_processes", "Processes of the last scan, by their worst finding (ok = none).");
        out.printf(Plain.LOCALE, "lminspect_processes{worst=\"critical\"} %d%n", worst.get(Severity.CRITICAL));
        out.printf(Plain.LOCALE, "lminspect_processes{worst=\"warning\"} %d%n", worst.get(Severity.WARNING));
        out.printf(Plain.LOCALE, "lminspect_processes{worst=\"info\"} %d%n", worst.get(Severity.INFO));
        out.printf(Plain.LOCALE, "lminspect_processes{worst=\"ok\"} %d%n", s.clean());
        gauge(out, "lminspect_processes_scanned", "Processes inspected by the last scan.");
        out.printf(Plain.LOCALE, "lminspect_processes_scanned %d%n", s.processes().size());
        gauge(out, "lminspect_processes_skipped", "Processes skipped by the last scan (kernel threads, exited, not readable).");
        out.printf(Plain.LOCALE, "lminspect_processes_skipped %d%n", s.skipped().size());
        gauge(out, "lminspect_scan_duration_seconds", "Wall time of the last scan.");
        out.printf(Plain.LOCALE, "lminspect_scan_duration_seconds %.3f%n", s.seconds());
        gauge(out, "lminspect_last_scan_timestamp_seconds", "When the last scan finished.");
        out.printf(Plain.LOCALE, "lminspect_last_scan_timestamp_seconds %.3f%n", s.finishedEpochMillis() / 1000.0);
        gauge(out, "lminspect_restart_needed", "Services (units, containers; process trees by program) holding a warning or critical finding, by severity: how many.");
        // process trees of one program share a label (no pids in labels): one series each, counting them
        Map<String, Integer> restart = new java.util.LinkedHashMap<>();
        for (ScanReport.Restart x : s.restart())
            restart.merge("service=\"" + label(x.service().stableName()) + "\",kind=\"" + x.service().kind().jsonName()
                    + "\",severity=\"" + x.severity().json + "\"", 1, Integer::sum);
        for (Map.Entry<String, Integer> e : restart.entrySet()) out.printf(Plain.LOCALE, "lminspect_restart_needed{%s} %d%n", e.getKey(), e.getValue());
        // bounded labels only (service, kind, code): a pid label would make a new series for every process
        gauge(out, "lminspect_service_findings", "Warning and critical findings, by service (unit, container; process trees by program) and code.");
        Map<String, Integer> byService = new TreeMap<>();
        for (ProcessReport p : s.processes()) {
            io.lminspect.host.Service svc = ScanReport.serviceOf(p);
            for (Finding f : p.findings())
                if (f.severity() != Severity.INFO)
                    byService.merge("service=\"" + label(svc.stableName()) + "\",kind=\"" + svc.kind().jsonName() + "\",code=\""
                            + f.code().name() + "\"", 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> e : byService.entrySet())
            out.printf(Plain.LOCALE, "lminspect_service_findings{%s} %d%n", e.getKey(), e.getValue());
    }

    private static void gauge(PrintStream out, String name, String help) {
        type(out, name, "gauge", help);
    }

    /** Label values: escape backslash, quote and newline as the exposition format requires; printable ASCII only. */
    public static String label(String v) {
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
