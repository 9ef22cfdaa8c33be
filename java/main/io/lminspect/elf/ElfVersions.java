package io.lminspect.elf;

import io.lminspect.util.Bytes;

import java.util.ArrayList;
import java.util.List;

/** GNU symbol versioning: .gnu.version (versym), .gnu.version_d (verdef), .gnu.version_r (verneed). */
public final class ElfVersions {
    static final int MAX_VERSIONS = 65535;
    /** All verdef/verneed/aux records read for one file, together: chains are linked by offsets a file controls. */
    static final int MAX_STEPS = 65536;

    public record Definition(int index, int flags, String name) {
        public boolean isBase() { return (flags & 1) != 0; }
    }

    public record Need(String file, List<NeedAux> versions) {}

    public record NeedAux(String name, int flags, int index) {
        public boolean weak() { return (flags & 2) != 0; }
    }

    private final List<Definition> definitions;
    private final List<Need> needs;
    private final int[] versym;

    private ElfVersions(List<Definition> d, List<Need> n, int[] v) {
        definitions = d;
        needs = n;
        versym = v;
    }

    public List<Definition> definitions() { return definitions; }
    public List<Need> needs() { return needs; }

    /** Version index for dynamic symbol i (bit 15 = hidden), or -1 when there is no .gnu.version. */
    public int versionIndex(int symIndex) {
        return versym == null || symIndex < 0 || symIndex >= versym.length ? -1 : versym[symIndex];
    }

    /** The name of version index (definition or needed version), or null. */
    public String nameOfIndex(int index) {
        int i = index & 0x7fff;
        for (Definition d : definitions) if (d.index() == i) return d.name();
        for (Need n : needs) for (NeedAux a : n.versions()) if (a.index() == i) return a.name();
        return null;
    }

    public static ElfVersions of(ElfFile elf, int dynsymCount) {
        ElfDynamic d = elf.dynamic();
        List<Definition> defs = new ArrayList<>();
        List<Need> needs = new ArrayList<>();
        int[] versym = null;
        long vd = d.get(DynamicTag.DT_VERDEF), vdn = d.get(DynamicTag.DT_VERDEFNUM);
        int[] budget = {MAX_STEPS};
        if (vd >= 0 && vdn > 0) readDefs(elf, vd, Math.min(vdn, MAX_VERSIONS), defs, budget);
        long vn = d.get(DynamicTag.DT_VERNEED), vnn = d.get(DynamicTag.DT_VERNEEDNUM);
        if (vn >= 0 && vnn > 0) readNeeds(elf, vn, Math.min(vnn, MAX_VERSIONS), needs, budget);
        long vs = d.get(DynamicTag.DT_VERSYM);
        if (vs >= 0 && dynsymCount > 0) {
            byte[] b = elf.readVaddr(vs, (long) dynsymCount * 2, ".gnu.version");
            if (b != null) {
                versym = new int[dynsymCount];
                for (int i = 0; i < dynsymCount; i++) versym[i] = Bytes.u16(b, i * 2);
            }
        }
        return new ElfVersions(defs, needs, versym);
    }

    /** One entry of a version list: its address and its fixed-size header. */
    private interface Entry {
        void visit(long at, byte[] header);
    }

    /**
     * Verdef, verneed and vernaux entries are linked lists by byte offsets (the next entry's
     * distance at nextAt in each header): every step bounded by count and the shared budget,
     * and a loop back to an entry already seen ends the walk.
     */
    private static void walk(ElfFile elf, long vaddr, long count, int size, int nextAt, String what, int[] budget, Entry entry) {
        long at = vaddr;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < count && budget[0]-- > 0 && seen.add(at); i++) {
            byte[] h = elf.readVaddr(at, size, what);
            if (h == null) return;
            entry.visit(at, h);
            long next = Bytes.u32(h, nextAt);
            if (next == 0) return;
            at += next;
        }
    }

    private static void readDefs(ElfFile elf, long vaddr, long count, List<Definition> out, int[] budget) {
        walk(elf, vaddr, count, 20, 16, "verdef", budget, (at, h) -> {
            int flags = Bytes.u16(h, 2), ndx = Bytes.u16(h, 4), cnt = Bytes.u16(h, 6);
            String name = "";
            if (cnt > 0) {
                byte[] a = elf.readVaddr(at + Bytes.u32(h, 12), 8, "verdaux");
                if (a != null) name = elf.dynamic().string(Bytes.u32(a, 0));
            }
            out.add(new Definition(ndx, flags, name));
        });
    }

    private static void readNeeds(ElfFile elf, long vaddr, long count, List<Need> out, int[] budget) {
        walk(elf, vaddr, count, 16, 12, "verneed", budget, (at, h) -> {
            String file = elf.dynamic().string(Bytes.u32(h, 4));
            List<NeedAux> vers = new ArrayList<>();
            walk(elf, at + Bytes.u32(h, 8), Bytes.u16(h, 2), 16, 12, "vernaux", budget,
                    (a, x) -> vers.add(new NeedAux(elf.dynamic().string(Bytes.u32(x, 8)), Bytes.u16(x, 4), Bytes.u16(x, 6))));
            out.add(new Need(file, vers));
        });
    }
}
