package io.lminspect.report;

import io.lminspect.check.Finding;
import io.lminspect.check.Severity;
import io.lminspect.host.ScanResult;
import io.lminspect.util.SafeText;

import java.io.PrintStream;

/** Nagios plugin output: one status line with perfdata, then one line per finding. */
public final class ScanNagios {
    private ScanNagios() {}

    public static void write(PrintStream out, ScanSummary s) {
        int crit = s.processesByWorst.get(Severity.CRITICAL), warn = s.processesByWorst.get(Severity.WARNING);
        String what;
        if (crit + warn == 0) what = s.inspected.size() + " processes inspected, no warning or critical finding";
        else {
            StringBuilder sb = new StringBuilder();
            sb.append(crit).append(" process").append(crit == 1 ? "" : "es").append(" critical, ").append(warn).append(" warning");
            ScanResult worst = s.inspected.get(0);
            Finding f = worst.inspection().findings().get(0);
            sb.append(" (pid ").append(worst.pid()).append(' ').append(SafeText.clean(worst.inspection().target().identity().comm()))
                    .append(": ").append(f.code()).append(' ').append(SafeText.clean(f.object())).append(')');
            what = sb.toString();
        }
        out.printf("LMINSPECT %s - %s | processes=%d skipped=%d critical=%d warning=%d clean=%d duration=%.3fs%n",
                s.statusWord(), what.replace('|', '/'), s.inspected.size(), s.skipped.size(), crit, warn, s.clean, s.seconds);
        for (ScanResult r : s.inspected) {
            for (Finding f : r.inspection().findings()) {
                if (f.severity() == Severity.INFO) continue;
                out.printf("pid %d %s: %s %s %s: %s%n", r.pid(), SafeText.clean(r.inspection().target().identity().comm()),
                        f.severity().name(), f.code(), SafeText.clean(f.object()), SafeText.clean(f.message()).replace('|', '/'));
            }
        }
    }
}
