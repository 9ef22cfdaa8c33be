package io.lminspect.check;

import io.lminspect.elf.ElfFile;
import io.lminspect.elf.Relocation;
import io.lminspect.linker.LoadedObject;
import io.lminspect.inferior.Memory;
import io.lminspect.inferior.ReadRequest;
import io.lminspect.util.Bytes;

import java.util.ArrayList;
import java.util.List;

/**
 * Every word the loader relocated (R_*_RELATIVE, GLOB_DAT, JUMP_SLOT, RELR)
 * compared with the file's raw bytes at the same place. A word that reads back
 * as the raw file value while the relocated value would differ was reverted:
 * the private page holding it was dropped (the file was truncated under it).
 * Memory is read in a few merged spans, not word by word.
 */
public record RelocationComparison(boolean applicable, String why, int checked, int reverted, int revertedNonZero,
                                   long exampleAddress, long exampleValue, long exampleExpected) {
    static final int SPAN_GAP = 4096;
    static final int MAX_SPAN = 1 << 20;

    /**
     * A raw value of 0 reading back could also be a pointer the program set to
     * NULL itself, so zeros alone count only when they are most of the words.
     */
    public boolean isReverted() {
        return applicable && (revertedNonZero > 0 || (reverted >= 8 && reverted * 2 >= checked));
    }

    /**
     * Compares every object at once: the spans of all objects go to the target in
     * one batch (one process_vm_readv for the whole process, not one per object).
     */
        // keyed by identity: an inspection's objects are its own, and a record's hash would walk all its parts
    static java.util.Map<LoadedObject, RelocationComparison> ofAll(List<LoadedObject> objects, Memory mem) {
        java.util.Map<LoadedObject, RelocationComparison> out = new java.util.IdentityHashMap<>();
        java.util.Map<LoadedObject, List<long[]>> itemsOf = new java.util.IdentityHashMap<>();
        java.util.Map<LoadedObject, List<ReadRequest>> spansOf = new java.util.IdentityHashMap<>();
        List<ReadRequest> all = new ArrayList<>();
        for (LoadedObject o : objects) {
            String why = o.elf() == null ? "the mapped file could not be read"
                    : o.entry().lAddr() == 0 ? "l_addr is 0: relocated and raw values cannot be told apart" : null;
            if (why != null) {
                out.put(o, no(why));
                continue;
            }
            List<long[]> items = items(o);
            if (items.isEmpty()) {
                out.put(o, new RelocationComparison(true, null, 0, 0, 0, 0, 0, 0));
                continue;
            }
            List<ReadRequest> spans = spans(items, o.elf().wordSize(), mem);
            itemsOf.put(o, items);
            spansOf.put(o, spans);
            all.addAll(spans);
        }
        mem.readChecked(all);
        for (var e : itemsOf.entrySet()) out.put(e.getKey(), compare(e.getValue(), spansOf.get(e.getKey()), e.getKey().elf().wordSize()));
        return out;
    }

    /** Runtime address, raw file value, expected value (-1: any value but the raw one), sorted by address. */
    private static List<long[]> items(LoadedObject o) {
        ElfFile elf = o.elf();
        long bias = o.entry().lAddr();
        int w = elf.wordSize();
        RelocationPlan plan = elf.derived("relocation-plan", RelocationPlan::of);
        List<long[]> items = new ArrayList<>(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            long raw = plan.raw[i];
            long expected = plan.relative[i] ? bias + plan.addend[i] : -1;
            if (w == 4 && expected != -1) expected &= 0xffffffffL;
            if (expected == raw) continue;
            items.add(new long[]{bias + plan.offset[i], raw, expected});
        }
        items.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        return items;
    }

    private static RelocationComparison compare(List<long[]> items, List<ReadRequest> spans, int w) {
        int checked = 0, reverted = 0, nonZero = 0;
        long exA = 0, exV = 0, exE = 0;
        int si = 0;
        for (long[] it : items) {
            while (si < spans.size() && Long.compareUnsigned(spans.get(si).address + spans.get(si).data.length, it[0] + w) < 0) si++;
            if (si >= spans.size()) break;
            ReadRequest s = spans.get(si);
            long off = it[0] - s.address;
            if (off < 0 || off + w > s.got) continue;
            long v = Bytes.word(s.data, (int) off, w);
            checked++;
            if (v == it[1]) {
                if (v != 0) nonZero++;
                if (reverted == 0 || (v != 0 && exV == 0)) {
                    exA = it[0];
                    exV = v;
                    exE = it[2];
                }
                reverted++;
            }
        }
        return new RelocationComparison(true, null, checked, reverted, nonZero, exA, exV, exE);
    }

    static final int RELATIVE = 1, GLOB_DAT = 2, JUMP_SLOT = 3;

    static int kindOf(int type, boolean x64) {
        if (type == Relocation.RELR) return RELATIVE;
        if (x64) {
            if (type == Relocation.R_X86_64_RELATIVE) return RELATIVE;
            if (type == Relocation.R_X86_64_GLOB_DAT) return GLOB_DAT;
            if (type == Relocation.R_X86_64_JUMP_SLOT) return JUMP_SLOT;
        } else {
            if (type == Relocation.R_386_RELATIVE) return RELATIVE;
            if (type == Relocation.R_386_GLOB_DAT) return GLOB_DAT;
            if (type == Relocation.R_386_JMP_SLOT) return JUMP_SLOT;
        }
        return 0;
    }

    /** Merges sorted word addresses into read spans (gaps under a page are read through). */
    private static List<ReadRequest> spans(List<long[]> items, int w, Memory mem) {
        List<ReadRequest> out = new ArrayList<>();
        long start = items.get(0)[0], end = start + w;
        for (long[] it : items) {
            long a = it[0];
            if (a - end > SPAN_GAP || a + w - start > MAX_SPAN || !sameMapping(mem, start, a)) {
                out.add(new ReadRequest(start, (int) (end - start)));
                start = a;
            }
            end = Math.max(end, a + w);
        }
        out.add(new ReadRequest(start, (int) (end - start)));
        return out;
    }

    private static boolean sameMapping(Memory mem, long a, long b) {
        var m = mem.mappings().find(a);
        return m != null && m.contains(b);
    }

    private static RelocationComparison no(String why) {
        return new RelocationComparison(false, why, 0, 0, 0, 0, 0, 0);
    }

}
