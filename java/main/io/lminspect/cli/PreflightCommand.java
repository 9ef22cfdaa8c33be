package io.lminspect.cli;

import io.lminspect.check.Inspection;
import io.lminspect.linker.ElfCache;
import io.lminspect.preflight.LibrarySearch;
import io.lminspect.preflight.Preflight;
import io.lminspect.preflight.TargetLinkerView;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.report.model.PreflightReport;
import io.lminspect.report.model.LinkerSummary;
import io.lminspect.report.model.TargetSummary;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

@Command(name = "preflight",
        exitCodeList = {"0:every library would load", "2:a library would fail to load", HelpText.EXIT_CANNOT},
        footer = {"  lminspect preflight 1234 libresolv.so.2", "  lminspect preflight --json 1234 /opt/app/lib/plugin.so"},
        description = {
        "Predict whether dlopen(LIBRARY) would succeed inside a live process right now.",
        "Resolves its DT_NEEDED closure the way that process's dynamic linker would (reusing what it has",
        "loaded), and checks every symbol version it needs against the copies the process has mapped.",
        "Runs nothing in the target. Exit 0: the load would succeed; 2: it would fail; 3: bad input."})
final class PreflightCommand extends ReportCommand {

    @Parameters(index = "0", paramLabel = "PID", description = "process to check")
    String pid;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "LIBRARY",
            description = "a soname (searched as ld.so would) or a path as the process sees it")
    List<String> libraries;

    PreflightCommand(Streams io) {
        super(io);
    }

    @Override
    PreflightReport report() {
        int p = Pids.parse(pid);
        try (ElfCache cache = new ElfCache(); LiveProcess target = LiveProcess.open(p)) {
            Inspection in = Inspection.run(target, cache, List.of());
            if (!in.state().found())
                throw new InspectException(Failure.NO_LINK_MAP, p, in.state().location().reason());
            TargetLinkerView view = new TargetLinkerView(target, in.objects());
            List<Preflight.Result> results = new ArrayList<>();
            try (LibrarySearch search = new LibrarySearch(view)) {
                for (String lib : libraries) results.add(Preflight.run(view, search, lib));
            }
            target.requireSameProcess();
            return new PreflightReport(TargetSummary.of(target.identity(), target.wordSize(), in.state().location().libc()),
                    LinkerSummary.of(in.state()), List.copyOf(results));
        }
    }
}
