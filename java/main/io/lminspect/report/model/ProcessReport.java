package io.lminspect.report.model;

import io.lminspect.check.Finding;
import io.lminspect.check.Inspection;
import io.lminspect.check.Severity;
import io.lminspect.linker.LoadedObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One process (live, or a core) as attach, core and each element of check report it:
 * who, the loader's view, every entry, the findings worst first, notes; the threads
 * when registers were read; the crash for a core.
 */
public record ProcessReport(TargetSummary target, LinkerSummary linker, List<EntryView> entries, List<Finding> findings,
                            List<String> notes, long memoryReads, ThreadsSection threads, CrashSection crash)
        implements Report {

    public static ProcessReport of(Inspection in) {
        List<EntryView> entries = new ArrayList<>();
        for (LoadedObject o : in.objects()) entries.add(EntryView.of(o, in.findings()));
        return new ProcessReport(TargetSummary.of(in.target().identity(), in.target().wordSize(), in.state().location().libc()),
                LinkerSummary.of(in.state()), List.copyOf(entries), List.copyOf(in.findings()), List.copyOf(in.notes()),
                in.target().readCalls(), null, null);
    }

    public ProcessReport withThreads(ThreadsSection t) {
        return new ProcessReport(target, linker, entries, findings, notes, memoryReads, t, crash);
    }

    public ProcessReport withCrash(CrashSection c) {
        return new ProcessReport(target, linker, entries, findings, notes, memoryReads, threads, c);
    }

    public Severity worst() {
        return Severity.worst(findings);
    }

    @Override
    public int exitCode() {
        return ExitCode.forFindings(findings);
    }
}
