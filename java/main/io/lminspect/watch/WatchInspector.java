package io.lminspect.watch;

import io.lminspect.inferior.FileId;
import io.lminspect.check.Inspection;
import io.lminspect.host.HostScanner;
import io.lminspect.host.ScanResult;
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
    record Inspected(ProcessReport report, Set<FileId> maps) {}

    WatchInspector(HostState state) {
        this.state = state;
    }

    /** thorough: the deep memory comparisons on every object, as an event's changed library gets them. */
    Map<Integer, Inspected> inspect(Set<Integer> pids, boolean thorough) {
        Map<Integer, Inspected> out = new HashMap<>();
        if (pids.isEmpty()) return out;
        List<ScanResult> results = new HostScanner(jobs, thorough).scan(new ArrayList<>(pids), n -> { });
        for (ScanResult r : results) {
            if (!r.wasInspected()) {
                if (state != null) state.skip(ScanReport.Skip.of(r));
                continue;
            }
            Inspection in = r.inspection();
            Set<FileId> maps = new HashSet<>();
            for (Mapping m : in.target().mappings().all()) if (m.fileBacked()) maps.add(new FileId(m.dev(), m.inode()));
            ProcessReport p = ProcessReport.of(in).withService(r.service()); // resolved by the scan, before its same-process check
            if (state != null) state.put(p);
            out.put(r.pid(), new Inspected(p, maps));
        }
        return out;
    }
}
