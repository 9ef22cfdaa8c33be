package io.lminspect.report.model;

import io.lminspect.finding.Finding;
import io.lminspect.layout.AddressSpaceLayout;
import io.lminspect.layout.LayoutFacts;
import io.lminspect.util.Hex;

import java.util.List;

/** layout: the address space, its kind, the room above brk and below the stack, and BRK_HEADROOM_LOW. */
public record LayoutReport(TargetSummary target, AddressSpaceLayout layout, LayoutFacts facts, List<Finding> findings,
                           long brkLimit) implements Report {

    /** "legacy" (bottom-up mmap area, libraries just above the heap) or "top-down". */
    public String kind() {
        return layout.bottomUp() ? "legacy" : "top-down";
    }

    /** One sentence on why the layout is what it is. */
    public String reason() {
        String where = layout.mmapHigh() == 0 ? "no mmap area"
                : "the mmap area " + Hex.of(layout.mmapLow()) + "-" + Hex.of(layout.mmapHigh());
        String why = facts.legacyReason();
        if (layout.bottomUp())
            return where + " lies in the lower half of the address space, growing up from TASK_UNMAPPED_BASE towards the stack"
                    + (why == null ? "" : ": " + why);
        return where + " lies just below the stack and grows down" + (why == null ? "" : " (although " + why + ")");
    }

    @Override
    public int exitCode() {
        return ExitCode.forFindings(findings);
    }
}
