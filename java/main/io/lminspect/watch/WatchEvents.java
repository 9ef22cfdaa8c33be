package io.lminspect.watch;

import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.report.model.Change;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.ScanReport;
import io.lminspect.report.model.WatchEvent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Builds the report document of one change (report/model's WatchEvent) from what the watch knows. */
final class WatchEvents {
    private WatchEvents() {}

    /** The event for file, from fresh reports of the processes that map it now. */
    static WatchEvent of(long epochMillis, Change change, WatchIndex.View file, List<ProcessReport> mapping, long latencyMillis,
                         io.lminspect.report.model.Writer writer, String writerUnknown, io.lminspect.check.JniOrigins.Origin origin) {
        ScanReport s = ScanReport.of(mapping, List.of(), 0, epochMillis);
        Severity worst = null;
        Set<FindingCode> codes = new LinkedHashSet<>();
        for (ScanReport.Group g : s.groups()) { // worst first
            boolean ours = g.dev() >= 0 ? g.dev() == file.key().dev() && g.inode() == file.key().inode() : file.path().equals(g.file());
            if (!ours) continue;
            codes.add(g.code());
            if (worst == null || g.severity().compareTo(worst) > 0) worst = g.severity();
        }
        List<WatchEvent.Proc> procs = new ArrayList<>();
        for (ProcessReport p : s.processes().stream().sorted((a, b) -> Integer.compare(a.target().pid(), b.target().pid())).toList())
            procs.add(new WatchEvent.Proc(p.target().pid(), p.target().exe(), ScanReport.serviceOf(p)));
        return new WatchEvent(epochMillis, change, file.path(), file.key().dev(), file.key().inode(), worst, List.copyOf(codes),
                List.copyOf(procs), latencyMillis, writer, writer == null ? writerUnknown : null, origin);
    }

}
