package io.lminspect.watch;

import io.lminspect.report.model.Change;
import io.lminspect.report.model.WatchStatus;
import io.lminspect.report.prometheus.PrometheusRenderer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * /metrics and --textfile: the watch's state as a report value (WatchStatus: the host as
 * `check --all --format prometheus` prints it, then the watch's counters), drawn by the
 * Prometheus renderer like every other document.
 */
final class WatchMetrics {
    private WatchMetrics() {}

    static byte[] render(HostState state, WatchCounters c) {
        Map<Change, Long> events = new EnumMap<>(Change.class);
        for (Change ch : Change.values()) events.put(ch, c.events.get(ch).get());
        WatchStatus s = new WatchStatus(state.snapshot(), events, c.notifications.get(), c.overflows.get(), c.rescans.get(), c.unindexedResolved.get(),
                c.lastRescanSeconds, c.lastRescanChanged, c.processes, c.files, c.execRun.get(), c.execDropped.get());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(b, false, StandardCharsets.UTF_8);
        new PrometheusRenderer().render(s, out);
        out.flush();
        return b.toByteArray();
    }
}
