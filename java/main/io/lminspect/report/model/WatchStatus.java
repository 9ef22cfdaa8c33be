package io.lminspect.report.model;

import java.util.Map;

/**
 * What a watch has done since it started, as a value for /metrics and --textfile, beside the
 * host as check would report it now (host): report/prometheus draws both.
 */
public record WatchStatus(ScanReport host, Map<Change, Long> events, long notifications, long overflows, long rescans, long unindexedResolved,
                          double lastRescanSeconds, int lastRescanChanged, int processes, int files, long execRun,
                          long execDropped) implements Report {
    public WatchStatus {
        events = Map.copyOf(events);
    }

    @Override
    public int exitCode() {
        return host.exitCode();
    }
}
