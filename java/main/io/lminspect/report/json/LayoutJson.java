package io.lminspect.report.json;

import io.lminspect.finding.Finding;
import io.lminspect.inferior.Mapping;
import io.lminspect.layout.AddressSpaceLayout;
import io.lminspect.layout.LayoutFacts;
import io.lminspect.layout.Region;
import io.lminspect.report.model.LayoutReport;
import io.lminspect.report.model.TargetSummary;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

/** layout's document: target, layout kind and why, segments, brk, stack, mmap area, findings. */
final class LayoutJson {
    private LayoutJson() {}

    static void write(Json j, LayoutReport r) {
        TargetSummary t = r.target();
        LayoutFacts f = r.facts();
        AddressSpaceLayout l = r.layout();
        j.begin();
        j.beginObject("target");
        j.field("pid", t.pid());
        j.field("exe", SafeText.clean(t.exe()));
        j.field("comm", SafeText.clean(t.comm()));
        j.field("class", t.elfClass());
        j.field("machine", t.machine());
        j.field("bits", "ELF64".equals(t.elfClass()) ? 64L : 32L);
        j.end();
        j.field("layout", r.kind());
        j.field("layout_reason", SafeText.clean(r.reason()));
        j.field("personality", f.personality() == null ? null : Hex.of(f.personality()));
        j.field("addr_compat_layout", f.addrCompatLayout());
        if (f.randomizeVaSpace() == null) j.field("randomize_va_space", (String) null);
        else j.field("randomize_va_space", f.randomizeVaSpace().longValue());
        j.field("aslr", f.aslrWords());
        j.field("stack_limit", f.stackLimit());
        j.field("task_size", Hex.of(l.taskSize()));
        j.beginArray("segments");
        for (Region x : l.regions()) {
            Mapping m = x.mapping();
            j.begin().field("kind", x.kind().label).field("start", Hex.of(m.start())).field("end", Hex.of(m.end()))
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
            j.field("limit", r.brkLimit());
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
        for (Finding x : r.findings()) JsonRenderer.finding(j, x);
        j.endArray();
        j.field("exit_code", r.exitCode());
        j.end();
    }
}
