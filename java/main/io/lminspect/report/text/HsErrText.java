package io.lminspect.report.text;

import io.lminspect.crash.Crash;
import io.lminspect.decode.HsErrExplained;
import io.lminspect.finding.Finding;
import io.lminspect.util.Hex;
import io.lminspect.util.Plain;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.List;

/** decode of a HotSpot fatal error log, for a person: the JVM, the crash explained, then the findings block by block. */
final class HsErrText {
    private HsErrText() {}

    static void write(PrintStream out, HsErrExplained h, Palette palette) {
        out.println("hs_err " + SafeText.clean(h.file() == null ? "(stdin)" : h.file()) + ": JVM pid " + h.pid()
                + (h.jre() == null ? "" : ", " + SafeText.clean(h.jre())));
        if (h.command() != null) out.println("  java_command: " + SafeText.clean(h.command()));
        if (h.crashedEpochMillis() != null)
            out.println("  started " + Plain.utc(h.startedEpochMillis()) + ", crashed " + Plain.utc(h.crashedEpochMillis())
                    + " (within " + h.timePrecisionMillis() + " ms, from " + h.timeFrom() + ")");
        Crash c = h.crash();
        out.println();
        out.println("crash: " + (c.signalName() == null ? "no signal" : c.signalName() + (c.code() == null ? "" : " " + c.code())
                + (c.address() == null ? "" : " at " + Hex.of(c.address()))));
        out.println("  thread " + c.thread() + (h.threadName() == null ? "" : " \"" + SafeText.clean(h.threadName()) + "\"") + ", pc " + Hex.of(c.pc())
                + (c.pcObject() == null ? "" : "  " + SafeText.clean(c.pcObject()) + " +" + h.pcOffset()
                + (c.pcSymbol() == null ? "" : " " + SafeText.clean(c.pcSymbol()))));
        if (c.caller() != null) out.println("  called from " + SafeText.clean(c.caller()));
        out.println("  => " + c.explanation());
        List<Finding> fs = h.findings();
        if (fs.isEmpty()) {
            out.println();
            out.println("no findings: every file the JVM mapped is, as far as its times tell, the file at that path today");
        }
        for (List<Finding> block : TextRenderer.byObject(fs)) {
            out.println();
            TextRenderer.objectBlock(out, block, palette);
        }
        if (!h.notes().isEmpty()) {
            out.println();
            for (String n : h.notes()) out.println("note: " + SafeText.clean(n));
        }
    }
}
