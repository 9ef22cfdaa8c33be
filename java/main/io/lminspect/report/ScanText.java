package io.lminspect.report;

import io.lminspect.check.Finding;
import io.lminspect.check.Inspection;
import io.lminspect.check.Severity;
import io.lminspect.host.ScanResult;
import io.lminspect.inferior.ProcessIdentity;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.time.Instant;

/** check's text output: processes with findings, worst first, grouped; then skips; then one summary line. */
public final class ScanText {
    private ScanText() {}

    public static void write(PrintStream out, ScanSummary s, boolean verbose) {
        for (ScanResult r : s.inspected) {
            Inspection in = r.inspection();
            if (in.findings().isEmpty() && !verbose) continue;
            ProcessIdentity id = in.target().identity();
            Severity w = in.worst();
            out.printf("== pid %d %s %s  user %d  started %s  [%s]%n", id.pid(), SafeText.clean(id.comm()), SafeText.clean(id.exe()),
                    id.uid(), id.startEpochMillis() > 0 ? Instant.ofEpochMilli(id.startEpochMillis()) : "?", w == null ? "OK" : w.name());
            for (Finding f : in.findings()) {
                InspectionText.finding(out, f);
                out.println();
            }
        }
        boolean header = false;
        for (ScanResult r : s.skipped) {
            if (r.kernelThread()) continue;
            if (!header) {
                out.println("skipped:");
                header = true;
            }
            out.printf("  pid %d: %s%n", r.pid(), SafeText.clean(r.skipReason()));
        }
        out.println(s.statusWord() + ": " + s.oneLine());
    }
}
