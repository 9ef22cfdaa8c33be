package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.LoadedObject;
import io.lminspect.inferior.ThreadState;
import io.lminspect.util.Hex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ties register values to the bad pointers the checks found: a register equal
 * to (or within 64 bytes of) a corrupt entry's soname pointer is where the
 * crash is about to happen, or just happened (rsi = 0x2559 in the php-fpm crash).
 */
public final class BadPointerRegisters {
    /** How far from a bad pointer a register still counts as "that pointer" (strcmp walks a few bytes on). */
    static final long NEAR = 64;

    /** A bad pointer and what it is, in words. */
    record BadPointer(long address, String what) {}

    private final List<BadPointer> pointers = new ArrayList<>();

    public BadPointerRegisters(Inspection in) {
        for (Finding f : in.findings()) {
            LoadedObject o = object(in, f);
            String where = f.entry() == null ? "" : " of entry " + f.entry() + (f.namespace() != null && f.namespace() != 0
                    ? " (namespace " + f.namespace() + ")" : "");
            if (f.code() == FindingCode.SONAME_UNMAPPED && o != null) pointers.add(new BadPointer(o.soname().pointer(), "the soname pointer" + where));
            else if (f.address() != null && f.severity() == Severity.CRITICAL)
                pointers.add(new BadPointer(f.address(), "the " + f.code() + " address" + where));
        }
    }

    private static LoadedObject object(Inspection in, Finding f) {
        if (f.entry() == null) return null;
        for (LoadedObject o : in.objects()) {
            LinkMapEntry e = o.entry();
            if (e.index() == f.entry() && (f.namespace() == null || e.namespace() == f.namespace())) return o;
        }
        return null;
    }

    /** register name → what its value points at, for the registers that hit a bad pointer. */
    public Map<String, String> marks(ThreadState t) {
        Map<String, String> out = new LinkedHashMap<>();
        if (pointers.isEmpty()) return out;
        for (Map.Entry<String, Long> r : t.registers().entrySet()) {
            long v = r.getValue();
            for (BadPointer p : pointers) {
                long d = v - p.address();
                if (d == 0) out.put(r.getKey(), p.what());
                else if (d > 0 && d <= NEAR) out.put(r.getKey(), Hex.of(d) + " past " + p.what());
                else if (d < 0 && d >= -NEAR) out.put(r.getKey(), Hex.of(-d) + " before " + p.what());
                if (out.containsKey(r.getKey())) break;
            }
        }
        return out;
    }
}
