package io.lminspect.watch;

import io.lminspect.report.model.Change;
import io.lminspect.util.Plain;
import io.lminspect.report.prometheus.PrometheusRenderer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * /metrics and --textfile: exactly what `check --all --format prometheus` prints for
 * the current state, then the watch's own counters.
 */
final class WatchMetrics {
    private WatchMetrics() {}

    static byte[] render(HostState state, WatchCounters c) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(b, false, StandardCharsets.UTF_8);
        new PrometheusRenderer().render(state.snapshot(), out);
        type(out, "lminspect_watch_events_total", "counter", "Change events reported, by change.");
        for (Change ch : Change.values()) out.printf(Plain.LOCALE, "lminspect_watch_events_total{change=\"%s\"} %d%n", ch.json, c.events.get(ch).get());
        type(out, "lminspect_watch_notifications_total", "counter", "File-system notifications read (most name files no process maps).");
        out.printf(Plain.LOCALE, "lminspect_watch_notifications_total %d%n", c.notifications.get());
        type(out, "lminspect_watch_queue_overflows_total", "counter", "Times the kernel dropped notifications (every file was then looked at).");
        out.printf(Plain.LOCALE, "lminspect_watch_queue_overflows_total %d%n", c.overflows.get());
        type(out, "lminspect_watch_rescans_total", "counter", "Periodic rescans of /proc/PID/maps.");
        out.printf(Plain.LOCALE, "lminspect_watch_rescans_total %d%n", c.rescans.get());
        type(out, "lminspect_watch_rescan_duration_seconds", "gauge",
                "Wall time of the last periodic rescan of every /proc/PID/maps (inspecting the processes it found new or changed not included).");
        out.printf(Plain.LOCALE, "lminspect_watch_rescan_duration_seconds %.4f%n", c.lastRescanSeconds);
        type(out, "lminspect_watch_rescan_changed_processes", "gauge", "Processes the last rescan found new or with a changed set of mapped files.");
        out.printf(Plain.LOCALE, "lminspect_watch_rescan_changed_processes %d%n", c.lastRescanChanged);
        type(out, "lminspect_watch_processes", "gauge", "Processes whose mappings are indexed.");
        out.printf(Plain.LOCALE, "lminspect_watch_processes %d%n", c.processes);
        type(out, "lminspect_watch_files", "gauge", "Distinct files (device and inode) the indexed processes map.");
        out.printf(Plain.LOCALE, "lminspect_watch_files %d%n", c.files);
        type(out, "lminspect_watch_exec_total", "counter", "--exec commands started.");
        out.printf(Plain.LOCALE, "lminspect_watch_exec_total %d%n", c.execRun.get());
        type(out, "lminspect_watch_exec_dropped_total", "counter", "--exec commands not started because too many were queued.");
        out.printf(Plain.LOCALE, "lminspect_watch_exec_dropped_total %d%n", c.execDropped.get());
        out.flush();
        return b.toByteArray();
    }

    private static void type(PrintStream out, String name, String type, String help) {
        out.println("# HELP " + name + " " + help);
        out.println("# TYPE " + name + " " + type);
    }
}
