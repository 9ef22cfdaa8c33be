package io.lminspect.report.model;

import io.lminspect.finding.Finding;
import io.lminspect.check.Inspection;
import io.lminspect.finding.Severity;
import io.lminspect.host.Service;
import io.lminspect.linker.LoadedObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One process (live, or a core) as attach, core and each element of check report it:
 * who, the service it belongs to (null for a core), the loader's view, every entry,
 * the findings worst first, notes; the threads when registers were read; the crash for a core.
 */
public record ProcessReport(TargetSummary target, Service service, LinkerSummary linker, List<EntryView> entries,
                            List<Finding> findings, List<String> notes, List<MappedFile> files, long memoryReads,
                            ThreadsSection threads, CrashSection crash)
        implements Report {

    /** A file a finding names, as the process maps it (device and inode identify it; the path may lie). */
    public record MappedFile(String path, long dev, long inode) {}

    public static ProcessReport of(Inspection in) {
        List<EntryView> entries = new ArrayList<>();
        for (LoadedObject o : in.objects()) entries.add(EntryView.of(o, in.findings(), in.deepCheck(o), in.origin(o)));
        return new ProcessReport(TargetSummary.of(in.target().identity(), in.target().wordSize(), in.state().location().libc()),
                null, LinkerSummary.of(in.state()), List.copyOf(entries), List.copyOf(in.findings()), List.copyOf(in.notes()),
                filesNamed(in), in.target().readCalls(), null, null);
    }

    /** The mapped files the findings name, each once, by the identity the finding carries. */
    private static List<MappedFile> filesNamed(Inspection in) {
        Map<io.lminspect.inferior.FileId, MappedFile> out = new LinkedHashMap<>();
        for (Finding f : in.findings())
            if (f.file() != null) out.putIfAbsent(f.file(), new MappedFile(f.mappingPath(), f.file().dev(), f.file().inode()));
        return List.copyOf(out.values());
    }

    /** The file a finding is about: the mapped inode it carries, else (no mapped file) the object it names. */
    public MappedFile fileOf(Finding f) {
        if (f.file() != null) return new MappedFile(f.mappingPath(), f.file().dev(), f.file().inode());
        return new MappedFile(f.mappingPath() != null ? f.mappingPath() : f.object(), -1, -1);
    }

    /** The same process with only the findings that pass (`check --file`: those about the files asked about). */
    public ProcessReport onlyFindings(java.util.function.Predicate<Finding> keep) {
        return new ProcessReport(target, service, linker, entries, findings.stream().filter(keep).toList(), notes, files, memoryReads,
                threads, crash);
    }

    /** The same process without its entry list and notes: what a host answer needs (findings, who, service). */
    public ProcessReport slim() {
        return new ProcessReport(target, service, linker, List.of(), findings, List.of(), files, 0, null, null);
    }

    public ProcessReport withService(Service s) {
        return new ProcessReport(target, s, linker, entries, findings, notes, files, memoryReads, threads, crash);
    }

    public ProcessReport withThreads(ThreadsSection t) {
        return new ProcessReport(target, service, linker, entries, findings, notes, files, memoryReads, t, crash);
    }

    public ProcessReport withCrash(CrashSection c) {
        return new ProcessReport(target, service, linker, entries, findings, notes, files, memoryReads, threads, c);
    }

    public Severity worst() {
        return Severity.worst(findings);
    }

    @Override
    public int exitCode() {
        return ExitCode.forFindings(findings);
    }
}
