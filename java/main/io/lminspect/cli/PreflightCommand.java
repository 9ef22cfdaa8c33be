package io.lminspect.cli;

import io.lminspect.check.Inspection;
import io.lminspect.linker.ElfCache;
import io.lminspect.preflight.LibrarySearch;
import io.lminspect.preflight.Preflight;
import io.lminspect.preflight.TargetLinkerView;
import io.lminspect.report.InspectionText;
import io.lminspect.report.Json;
import io.lminspect.report.PreflightJson;
import io.lminspect.report.PreflightText;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.util.InspectException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "preflight", mixinStandardHelpOptions = true, version = "lminspect 0.1.0", description = {
        "Predict whether dlopen(LIBRARY) would succeed inside a live process right now.",
        "Resolves its DT_NEEDED closure the way that process's dynamic linker would (reusing what it has",
        "loaded), and checks every symbol version it needs against the copies the process has mapped.",
        "Runs nothing in the target. Exit 0: the load would succeed; 2: it would fail; 3: bad input."})
final class PreflightCommand implements Callable<Integer> {
    private final Streams io;

    @Parameters(index = "0", paramLabel = "PID", description = "process to check")
    String pid;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "LIBRARY",
            description = "a soname (searched as ld.so would) or a path as the process sees it")
    List<String> libraries;

    @Mixin
    JsonOption output = new JsonOption();

    PreflightCommand(Streams io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        int p = Pids.parse(pid);
        ElfCache cache = new ElfCache();
        try (LiveProcess target = LiveProcess.open(p)) {
            Inspection in = Inspection.run(target, cache, List.of());
            if (!in.state().found())
                throw new InspectException("process " + p + " has no link_map to read (" + in.state().location().reason()
                        + "): a static or not yet started program cannot dlopen");
            TargetLinkerView view = new TargetLinkerView(target, in.objects());
            List<Preflight.Result> results = new ArrayList<>();
            try (LibrarySearch search = new LibrarySearch(view)) {
                for (String lib : libraries) results.add(Preflight.run(view, search, lib));
                target.requireSameProcess();
                if (output.json) {
                    try (Json j = new Json(io.out())) {
                        PreflightJson.write(j, in, results);
                    }
                } else {
                    InspectionText.header(io.out(), in);
                    for (Preflight.Result r : results) PreflightText.write(io.out(), in, r);
                }
            }
            io.out().flush();
            return results.stream().allMatch(Preflight.Result::wouldSucceed) ? ExitCode.OK : ExitCode.CRITICAL;
        } finally {
            cache.close();
        }
    }
}
