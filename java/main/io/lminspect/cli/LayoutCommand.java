package io.lminspect.cli;

import io.lminspect.finding.Finding;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.inferior.ProcFs;
import io.lminspect.layout.AddressSpaceLayout;
import io.lminspect.layout.BrkHeadroomCheck;
import io.lminspect.layout.LayoutFacts;
import io.lminspect.report.model.LayoutReport;
import io.lminspect.report.model.TargetSummary;
import io.lminspect.util.ByteSize;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "layout",
        footer = {"  lminspect layout 1234", "  lminspect layout --brk-min 64M --json 1234"},
        description = {
        "Show a process's address space and the room its heap has above brk.",
        "Exe text/data/bss, heap and brk, mmap area, libraries, stack, vdso, and the layout kind.",
        "Warns when brk has little room (BRK_HEADROOM_LOW)."})
final class LayoutCommand extends ReportCommand {

    @Parameters(index = "0", paramLabel = "PID", description = "process to inspect")
    String pid;

    @Option(names = "--brk-min", paramLabel = "BYTES", description = "warn when the room above brk is smaller (default 32M; K, M, G suffixes)")
    String brkMin = "32M";

    LayoutCommand(Streams io) {
        super(io);
    }

    @Override
    LayoutReport report() {
        int p = Pids.parse(pid);
        Long limit = ByteSize.parse(brkMin);
        if (limit == null)
            throw new InspectException(Failure.NOT_A_SIZE, "--brk-min", SafeText.clean(brkMin));
        try (LiveProcess target = LiveProcess.open(p)) {
            ProcFs.Stat st = ProcFs.stat(p);
            AddressSpaceLayout layout = AddressSpaceLayout.of(target.mappings(), target.identity().exe(), st.startBrk(), target.elfClass());
            LayoutFacts facts = LayoutFacts.read(p);
            target.requireSameProcess();
            List<Finding> findings = BrkHeadroomCheck.check(layout, facts, limit).stream().toList();
            return new LayoutReport(TargetSummary.of(target.identity(), target.wordSize(), null), layout, facts, findings, limit);
        }
    }
}
