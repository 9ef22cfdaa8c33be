package io.lminspect.watch;

import io.lminspect.inferior.FileId;
import io.lminspect.check.Inspection;
import io.lminspect.check.JniOrigins;
import io.lminspect.host.HostScanner;
import io.lminspect.inferior.Mapping;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.ScanReport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watch's inspections: processes inspected in parallel (none stopped), each kept as the
 * report an event is made of and the files it maps, and the host state (for /metrics) kept
 * current as they come.
 */
final class WatchInspector {
    private final HostState state;
    private final int jobs = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** A process's fresh report and the files (device, inode) it maps. */
    record Inspected(ProcessReport report, Set<FileId> maps, Map<FileId, JniOrigins.Origin> origins) {}

    WatchInspector(HostState state) {
        this.state = state;
    }

    /**
     * thorough: the deep memory comparisons on every object, as an event's changed library gets them.
     * Each process is folded as its inspection ends (its report kept slim: findings, who, service),
     * so inspecting a whole host at start holds one inspection per worker, not one per process.
     */
    Map<Integer, Inspected> inspect(Set<Integer> pids, boolean thorough) {
        return inspect(pids, thorough, true);
    }

    /** For /metrics only (the start, a rescan): the host state brought up to date, nothing kept here. */
    void refreshState(Set<Integer> pids) {
        inspect(pids, false, false);
    }

    private Map<Integer, Inspected> inspect(Set<Integer> pids, boolean thorough, boolean keep) {
        Map<Integer, Inspected> out = new HashMap<>();
        if (pids.isEmpty()) return out;
        List<Inspected> results = new HostScanner(jobs, thorough).scan(new ArrayList<>(pids), n -> { }, r -> {
            if (!r.wasInspected()) {
                if (state != null) state.skip(ScanReport.Skip.of(r));
                return null;
            }
            Inspection in = r.inspection();
            ProcessReport p = ProcessReport.of(in).withService(r.service()).slim(); // resolved by the scan, before its same-process check
            if (state != null) state.put(p);
            if (!keep) return null;
            Set<FileId> maps = new HashSet<>();
            for (Mapping m : in.target().mappings().all()) if (m.fileBacked()) maps.add(m.fileId());
            Map<FileId, JniOrigins.Origin> origins = new HashMap<>();
            for (var o : in.objects()) if (in.origin(o) != null && o.mappedFileId() != null) origins.put(o.mappedFileId(), in.origin(o));
            return new Inspected(p, Set.copyOf(maps), Map.copyOf(origins));
        });
        for (Inspected i : results) if (i != null) out.put(i.report().target().pid(), i);
        return out;
    }
}
