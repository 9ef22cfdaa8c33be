package io.lminspect.report.text;

import io.lminspect.util.Plain;
import io.lminspect.finding.Finding;
import io.lminspect.inferior.Mapping;
import io.lminspect.layout.AddressSpaceLayout;
import io.lminspect.layout.LayoutFacts;
import io.lminspect.layout.Region;
import io.lminspect.report.model.LayoutReport;
import io.lminspect.report.model.TargetSummary;
import io.lminspect.util.ByteSize;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.List;

/** layout for a person: the segments (runs of one kind and file on one line), brk and stack room, findings. */
final class LayoutText {
    private LayoutText() {}

    static void write(PrintStream out, LayoutReport r, Palette palette) {
        TargetSummary t = r.target();
        LayoutFacts f = r.facts();
        AddressSpaceLayout l = r.layout();
        out.println("PID " + t.pid() + " (" + SafeText.clean(t.comm()) + ") " + SafeText.clean(t.exe()) + ", "
                + ("ELF64".equals(t.elfClass()) ? 64 : 32) + "-bit");
        out.println("layout: " + r.kind() + ": " + SafeText.clean(r.reason()));
        out.println("ASLR:   " + f.aslrWords() + (f.personality() == null ? "" : "; personality " + Hex.of(f.personality())));
        out.println();
        List<Region> rs = l.regions();
        for (int i = 0; i < rs.size(); ) {
            int k = i + 1;
            while (k < rs.size() && rs.get(k).kind() == rs.get(i).kind() && rs.get(k).mapping().path().equals(rs.get(i).mapping().path())
                    && rs.get(k).mapping().start() == rs.get(k - 1).mapping().end()) k++;
            Mapping a = rs.get(i).mapping(), z = rs.get(k - 1).mapping();
            out.printf(Plain.LOCALE, "  %18s-%-18s %10s  %-14s %s%n", Hex.of(a.start()), Hex.of(z.end()), ByteSize.format(z.end() - a.start()),
                    rs.get(i).kind().label + (k - i > 1 ? " x" + (k - i) : ""), SafeText.clean(a.path()));
            i = k;
        }
        out.println();
        AddressSpaceLayout.Brk b = l.brk();
        if (b != null) {
            out.println("heap:   start_brk " + Hex.of(b.start()) + ", brk " + Hex.of(b.end()) + " (" + ByteSize.format(b.end() - b.start()) + ")");
            if (b.next() == null) out.println("        nothing is mapped above brk");
            else out.println("        room above brk: " + ByteSize.format(b.headroom()) + ", up to " + Hex.of(b.next().start()) + " ("
                    + (b.next().path().isEmpty() ? "anonymous" : SafeText.clean(b.next().path())) + ")");
        }
        AddressSpaceLayout.Stack s = l.stack();
        if (s != null) out.println("stack:  " + s.mapping().range() + "; room below it: " + ByteSize.format(s.gapBelow())
                + (s.below() == null ? "" : " (down to " + Hex.of(s.below().end()) + ")") + ", stack limit " + f.stackLimit());
        for (Finding x : r.findings()) {
            out.println();
            TextRenderer.finding(out, x, palette);
        }
    }
}
