package io.lminspect.cli;

import io.lminspect.check.BadPointerRegisters;
import io.lminspect.check.Checks;
import io.lminspect.check.Inspection;
import io.lminspect.linker.AddressNamer;
import io.lminspect.linker.ElfCache;
import io.lminspect.report.InspectionJson;
import io.lminspect.report.InspectionText;
import io.lminspect.report.Json;
import io.lminspect.report.RegistersReport;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.inferior.RegisterSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "attach", mixinStandardHelpOptions = true, version = "lminspect 0.1.0", description = {
        "Check a live process's link_map chain the way the dynamic linker sees it.",
        "Lists every object, checks every pointer ld.so will follow, and reports corrupted entries with",
        "evidence and remedy. Reads memory without stopping the process (--regs stops it for ~1 ms)."})
final class AttachCommand implements Callable<Integer> {
    private final Streams io;

    @Parameters(index = "0", paramLabel = "PID", description = "process to inspect")
    String pid;

    @Mixin
    JsonOption output = new JsonOption();

    @Option(names = "--regs", description = "also read every thread's registers (stops the process for about a millisecond)")
    boolean regs;

    AttachCommand(Streams io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        int p = Pids.parse(pid);
        ElfCache cache = new ElfCache();
        try (LiveProcess target = LiveProcess.open(p)) {
            Inspection in = Inspection.run(target, cache, Checks.all());
            // registers after the checks, so they can be tied to the bad pointers found
            if (regs) target.requireSameProcess(); // never stop a process that merely reuses the PID
            RegistersReport registers = regs ? new RegistersReport(RegisterSnapshot.take(p), new AddressNamer(target, cache),
                    new BadPointerRegisters(in)) : null;
            target.requireSameProcess();
            if (output.json) {
                try (Json j = new Json(io.out())) {
                    InspectionJson.write(j, in, registers);
                }
            } else {
                InspectionText.write(io.out(), in, true);
                if (registers != null) registers.text(io.out());
            }
            io.out().flush();
            return in.exitCode();
        } finally {
            cache.close();
        }
    }
}
