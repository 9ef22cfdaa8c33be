package io.lminspect.cli;

import io.lminspect.check.BadPointerRegisters;
import io.lminspect.check.Checks;
import io.lminspect.check.Inspection;
import io.lminspect.host.Service;
import io.lminspect.host.ServiceResolver;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.inferior.NativeHelper;
import io.lminspect.linker.AddressNamer;
import io.lminspect.linker.ElfCache;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.ThreadsSection;
import io.lminspect.util.Timing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "attach",
        footer = {"  lminspect attach 1234", "  lminspect attach --json 1234 | jq -r '.findings[].code'", "  lminspect attach --regs 1234     # also every thread's registers"},
        description = {
        "Check a live process's link_map chain the way the dynamic linker sees it.",
        "Lists every object, checks every pointer ld.so will follow, and reports corrupted entries with",
        "evidence and remedy. Reads memory without stopping the process (--regs stops it for ~1 ms)."})
final class AttachCommand extends ReportCommand {

    @Parameters(index = "0", paramLabel = "PID", description = "process to inspect")
    String pid;

    @Mixin
    ThoroughOption thorough = new ThoroughOption();

    @Option(names = "--regs", description = "also read every thread's registers (stops the process for about a millisecond)")
    boolean regs;

    AttachCommand(Streams io) {
        super(io);
    }

    @Override
    ProcessReport report() {
        int p = Pids.parse(pid);
        ServiceResolver services = new ServiceResolver();
        try (ElfCache cache = new ElfCache(); LiveProcess target = LiveProcess.open(p, services.lineage())) {
            Timing.mark("open target");
            // before the inspection: it needs no memory read, so it runs while the native helper may still be loading
            Service service = services.resolve(p);
            Timing.mark("service");
            NativeHelper.Holder.get(); // the join: what is left of loading the helper, not part of the inspection's time
            Timing.mark("native helper ready");
            Inspection in = Inspection.run(target, cache, Checks.all(), thorough.thorough);
            ProcessReport r = ProcessReport.of(in).withService(service);
            Timing.mark("report model");
            // registers after the checks, so they can be tied to the bad pointers found
            if (regs) r = r.withThreads(ThreadsSection.of(target.registers(), new AddressNamer(target, cache), new BadPointerRegisters(in)));
            target.requireSameProcess(); // never report one process's memory under another's PID
            return r;
        }
    }
}
