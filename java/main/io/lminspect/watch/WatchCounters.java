package io.lminspect.watch;

import io.lminspect.report.model.Change;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What the watch has done since it started, for /metrics. */
final class WatchCounters {
    final Map<Change, AtomicLong> events = new EnumMap<>(Change.class);
    final AtomicLong notifications = new AtomicLong();
    final AtomicLong overflows = new AtomicLong();
    final AtomicLong rescans = new AtomicLong();
    /** Writes to library files no indexed process mapped, found mapped by a quick rescan (loaded since the last rescan). */
    final AtomicLong unindexedResolved = new AtomicLong();
    final AtomicLong execRun = new AtomicLong();
    final AtomicLong execDropped = new AtomicLong();
    volatile double lastRescanSeconds;
    volatile int lastRescanChanged;
    volatile int processes;
    volatile int files;

    WatchCounters() {
        for (Change c : Change.values()) events.put(c, new AtomicLong());
    }
}
