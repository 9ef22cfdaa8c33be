package io.lminspect.report.nagios;

import io.lminspect.check.Finding;
import io.lminspect.check.Severity;
import io.lminspect.report.Renderer;
import io.lminspect.report.model.ExitCode;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.Report;
import io.lminspect.report.model.ScanReport;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.Map;

/** Nagios plugin output of check: one status line with perfdata, then one line per finding. */
public final class NagiosRenderer implements Renderer {

    @Override
    public void render(Report r, PrintStream out) {
        if (!(r instanceof ScanReport s)) throw Renderer.unsupported("Nagios", r);
        Map<Severity, Integer> worst = s.processesByWorst();
        int crit = worst.get(Severity.CRITICAL), warn = worst.get(Severity.WARNING);
        String what;
        if (crit + warn == 0) what = s.processes().size() + " processes inspected, no warning or critical finding";
        else {
            ProcessReport first = s.processes().get(0);
            Finding f = first.findings().get(0);
            what = crit + " process" + (crit == 1 ? "" : "es") + " critical, " + warn + " warning (pid " + first.target().pid() + ' '
                    + SafeText.clean(first.target().comm()) + ": " + f.code() + ' ' + SafeText.clean(f.object()) + ')';
        }
        // '|' starts perfdata in the plugin protocol: never inside the text
        out.printf("LMINSPECT %s - %s | processes=%d skipped=%d critical=%d warning=%d clean=%d duration=%.3fs%n",
                ExitCode.statusWord(s.exitCode()), what.replace('|', '/'), s.processes().size(), s.skipped().size(), crit, warn,
                s.clean(), s.seconds());
        for (ProcessReport p : s.processes()) {
            for (Finding f : p.findings()) {
                if (f.severity() == Severity.INFO) continue;
                out.printf("pid %d %s: %s %s %s: %s%n", p.target().pid(), SafeText.clean(p.target().comm()),
                        f.severity().name(), f.code(), SafeText.clean(f.object()), SafeText.clean(f.message()).replace('|', '/'));
            }
        }
    }
}
