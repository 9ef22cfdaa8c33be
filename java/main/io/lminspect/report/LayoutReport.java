package io.lminspect.report;

import io.lminspect.report.json.Json;
import io.lminspect.check.Finding;
import io.lminspect.layout.AddressSpaceLayout;
import io.lminspect.layout.LayoutFacts;
import io.lminspect.layout.Region;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.inferior.Mapping;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.List;

/** `layout` output: the segments, brk and stack room, layout kind, and BRK_HEADROOM_LOW. */
public final class LayoutReport {
    private LayoutReport() {}

    public static String kind(AddressSpaceLayout l) {
        return l.bottomUp() ? "legacy" : "top-down";
    }

    /** One sentence on why the layout is what it is. */
    public static String reason(AddressSpaceLayout l, LayoutFacts f) {
        String where = l.mmapHigh() == 0 ? "no mmap area"
                : "the mmap area " + Hex.of(l.mmapLow()) + "-" + Hex.of(l.mmapHigh());
        String why = f.legacyReason();
        if (l.bottomUp())
            return where + " lies in the lower half of the address space, growing up from TASK_UNMAPPED_BASE towards the stack"
                    + (why == null ? "" : ": " + why);
        return where + " lies just below the stack and grows down" + (why == null ? "" : " (although " + why + ")");
    }

    public static void json(Json j, LiveProcess t, AddressSpaceLayout l, LayoutFacts f, List<Finding> findings, long limit) {
        j.begin();
        j.beginObject("target");
        j.field("pid", t.pid());
        j.field("exe", SafeText.clean(t.identity().exe()));
        j.field("comm", SafeText.clean(t.identity().comm()));
        j.field("class", t.wordSize() == 8 ? "ELF64" : "ELF32");
        j.field("machine", t.wordSize() == 8 ? "x86_64" : "i386");
        j.field("bits", t.wordSize() * 8L);
        j.end();
        j.field("layout", kind(l));
        j.field("layout_reason", SafeText.clean(reason(l, f)));
        j.field("personality", f.personality() == null ? null : Hex.of(f.personality()));
        j.field("addr_compat_layout", f.addrCompatLayout());
        if (f.randomizeVaSpace() == null) j.field("randomize_va_space", (String) null);
        else j.field("randomize_va_space", f.randomizeVaSpace().longValue());
        j.field("aslr", f.aslrWords());
        j.field("stack_limit", f.stackLimit());
        j.field("task_size", Hex.of(l.taskSize()));
        j.beginArray("segments");
        for (Region r : l.regions()) {
            Mapping m = r.mapping();
            j.begin().field("kind", r.kind().label).field("start", Hex.of(m.start())).field("end", Hex.of(m.end()))
                    .field("size", m.size()).field("perms", m.perms()).field("path", m.path().isEmpty() ? null : SafeText.clean(m.path()))
                    .end();
        }
        j.endArray();
        AddressSpaceLayout.Brk b = l.brk();
        if (b == null) {
            j.field("brk", (String) null);
        } else {
            j.beginObject("brk");
            j.field("start", Hex.of(b.start()));
            j.field("end", Hex.of(b.end()));
            j.field("size", b.end() - b.start());
            j.field("next_mapping", b.next() == null ? null : Hex.of(b.next().start()));
            j.field("next_mapping_path", b.next() == null || b.next().path().isEmpty() ? null : SafeText.clean(b.next().path()));
            if (b.next() == null) j.field("headroom", (String) null);
            else j.field("headroom", b.headroom());
            j.field("limit", limit);
            j.end();
        }
        AddressSpaceLayout.Stack s = l.stack();
        if (s == null) {
            j.field("stack", (String) null);
        } else {
            j.beginObject("stack");
            j.field("start", Hex.of(s.mapping().start()));
            j.field("end", Hex.of(s.mapping().end()));
            j.field("next_below", s.below() == null ? null : Hex.of(s.below().end()));
            j.field("room_below", s.gapBelow());
            j.end();
        }
        j.beginObject("mmap_area");
        j.field("low", l.mmapHigh() == 0 ? null : Hex.of(l.mmapLow()));
        j.field("high", l.mmapHigh() == 0 ? null : Hex.of(l.mmapHigh()));
        j.end();
        j.beginArray("findings");
        for (Finding x : findings) {
            j.begin().field("severity", x.severity().json).field("code", x.code().name()).field("object", x.object())
                    .field("address", x.address()).field("message", x.message());
            j.beginArray("evidence");
            for (String e : x.evidence()) j.value(e);
            j.endArray();
            j.field("consequence", x.consequence()).field("remedy", x.remedy()).end();
        }
        j.endArray();
        j.field("exit_code", findings.isEmpty() ? 0L : 1L);
        j.end();
    }

    public static void text(PrintStream out, LiveProcess t, AddressSpaceLayout l, LayoutFacts f, List<Finding> findings) {
        out.println("PID " + t.pid() + " (" + SafeText.clean(t.identity().comm()) + ") " + SafeText.clean(t.identity().exe()) + ", "
                + t.wordSize() * 8 + "-bit");
        out.println("layout: " + kind(l) + ": " + SafeText.clean(reason(l, f)));
        out.println("ASLR:   " + f.aslrWords() + (f.personality() == null ? "" : "; personality " + Hex.of(f.personality())));
        out.println();
        List<Region> rs = l.regions();
        for (int i = 0; i < rs.size(); ) {
            // runs of the same kind and file read as one line
            int k = i + 1;
            while (k < rs.size() && rs.get(k).kind() == rs.get(i).kind() && rs.get(k).mapping().path().equals(rs.get(i).mapping().path())
                    && rs.get(k).mapping().start() == rs.get(k - 1).mapping().end()) k++;
            Mapping a = rs.get(i).mapping(), z = rs.get(k - 1).mapping();
            out.printf("  %18s-%-18s %10s  %-14s %s%n", Hex.of(a.start()), Hex.of(z.end()), size(z.end() - a.start()),
                    rs.get(i).kind().label + (k - i > 1 ? " x" + (k - i) : ""), SafeText.clean(a.path()));
            i = k;
        }
        out.println();
        AddressSpaceLayout.Brk b = l.brk();
        if (b != null) {
            out.println("heap:   start_brk " + Hex.of(b.start()) + ", brk " + Hex.of(b.end()) + " (" + size(b.end() - b.start()) + ")");
            if (b.next() == null) out.println("        nothing is mapped above brk");
            else out.println("        room above brk: " + size(b.headroom()) + ", up to " + Hex.of(b.next().start()) + " ("
                    + (b.next().path().isEmpty() ? "anonymous" : SafeText.clean(b.next().path())) + ")");
        }
        AddressSpaceLayout.Stack s = l.stack();
        if (s != null) out.println("stack:  " + s.mapping().range() + "; room below it: " + size(s.gapBelow())
                + (s.below() == null ? "" : " (down to " + Hex.of(s.below().end()) + ")") + ", stack limit " + f.stackLimit());
        for (Finding x : findings) {
            out.println();
            out.println(x.severity().json.toUpperCase() + " " + x.code().name() + ": " + x.message());
            for (String e : x.evidence()) out.println("  evidence: " + e);
            out.println("  consequence: " + x.consequence());
            out.println("  remedy: " + x.remedy());
        }
    }

    /** Bytes for a person: exact bytes below 1 KiB, else KiB/MiB/GiB/TiB with at most one decimal. */
    public static String size(long bytes) {
        if (bytes < 0) return Long.toUnsignedString(bytes) + " B";
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) return bytes + " B";
        return (v == Math.floor(v) ? String.format("%d", (long) v) : String.format("%.1f", v)) + " " + units[u];
    }
}
