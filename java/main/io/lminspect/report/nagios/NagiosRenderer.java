package io.lminspect.report.nagios;

import io.lminspect.util.Plain;
import io.lminspect.finding.Severity;
import io.lminspect.report.Renderer;
import io.lminspect.report.model.ExitCode;
import io.lminspect.report.model.Report;
import io.lminspect.report.model.ScanReport;
import io.lminspect.report.text.ScanText;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Nagios plugin output of check: one status line with perfdata, then one line per finding. */
public final class NagiosRenderer implements Renderer {

    /** The plugin protocol's UNKNOWN status line, for a check that could not inspect (the one line on stderr follows). */
    public static void unknown(String why, PrintStream out) {
        out.println("LMINSPECT UNKNOWN - " + String.valueOf(why).replace('|', '/'));
    }

    @Override
    public void render(Report r, PrintStream out) {
        if (!(r instanceof ScanReport s)) throw Renderer.unsupported("Nagios", r);
        Map<Severity, Integer> worst = s.processesByWorst();
        int crit = worst.get(Severity.CRITICAL), warn = worst.get(Severity.WARNING);
        String what;
        if (crit + warn == 0) what = s.processes().size() + " processes inspected, no warning or critical finding"
                + (s.unread() > 0 ? "; " + ScanText.unreadLine(s) : "");
        else {
            // the status line names what to restart, as the operator's next step
            List<String> names = new ArrayList<>();
            for (ScanReport.Restart x : s.restart()) {
                if (names.size() == 5) {
                    names.add("+" + (s.restart().size() - 5) + " more");
                    break;
                }
                names.add(ScanText.name(x.service()));
            }
            ScanReport.Group g = s.groups().get(0);
            what = crit + " process" + (crit == 1 ? "" : "es") + " critical, " + warn + " warning; restart " + String.join(", ", names)
                    + " (" + g.code() + " " + SafeText.clean(g.file()) + ")";
        }
        // '|' starts perfdata in the plugin protocol: never inside the text
        out.printf(Plain.LOCALE, "LMINSPECT %s - %s | processes=%d skipped=%d critical=%d warning=%d clean=%d duration=%.3fs%n",
                ExitCode.statusWord(s.exitCode()), what.replace('|', '/'), s.processes().size(), s.skipped().size(), crit, warn,
                s.clean(), s.seconds());
        // long output: one line per cause and file, not per process
        for (ScanReport.Group g : s.groups()) {
            if (g.severity() == Severity.INFO) continue;
            List<String> svc = new ArrayList<>();
            for (var e : g.pidsByService().entrySet())
                svc.add(ScanText.servicePids(e.getKey(), e.getValue()));
            String pkg = ScanText.packageLine(g);
            out.printf(Plain.LOCALE, "%s %s %s: %d process%s (%s): %s%s%n", g.severity().name(), g.code(), SafeText.clean(g.file()), g.pids().size(),
                    g.pids().size() == 1 ? "" : "es", String.join("; ", svc).replace('|', '/'),
                    SafeText.clean(g.example().message()).replace('|', '/'), pkg == null ? "" : "; " + pkg.replace('|', '/'));
        }
        // the status line names five services at most: the long output names every one
        if (s.restart().size() > 5) {
            List<String> all = new ArrayList<>();
            for (ScanReport.Restart x : s.restart()) all.add(ScanText.name(x.service()));
            out.println(("restart: " + String.join(", ", all)).replace('|', '/'));
        }
    }
}
