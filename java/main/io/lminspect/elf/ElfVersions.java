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

    /** Verdef entries are a linked list by byte offsets; each step is bounded and checked. */
    private static void readDefs(ElfFile elf, long vaddr, long count, List<Definition> out, int[] budget) {
        long at = vaddr;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < count && budget[0]-- > 0 && seen.add(at); i++) {
            byte[] h = elf.readVaddr(at, 20, "verdef");
            if (h == null) return;
            int flags = Bytes.u16(h, 2), ndx = Bytes.u16(h, 4), cnt = Bytes.u16(h, 6);
            long aux = Bytes.u32(h, 12), next = Bytes.u32(h, 16);
            String name = "";
            if (cnt > 0) {
                byte[] a = elf.readVaddr(at + aux, 8, "verdaux");
                if (a != null) name = elf.dynamic().string(Bytes.u32(a, 0));
            }
            out.add(new Definition(ndx, flags, name));
            if (next == 0) return;
            at += next;
        }
    }

    private static void readNeeds(ElfFile elf, long vaddr, long count, List<Need> out, int[] budget) {
        long at = vaddr;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < count && budget[0]-- > 0 && seen.add(at); i++) {
            byte[] h = elf.readVaddr(at, 16, "verneed");
            if (h == null) return;
            int cnt = Bytes.u16(h, 2);
            String file = elf.dynamic().string(Bytes.u32(h, 4));
            long aux = Bytes.u32(h, 8), next = Bytes.u32(h, 12);
            List<NeedAux> vers = new ArrayList<>();
            long a = at + aux;
            java.util.Set<Long> seenAux = new java.util.HashSet<>();
            for (int j = 0; j < cnt && budget[0]-- > 0 && seenAux.add(a); j++) {
                byte[] x = elf.readVaddr(a, 16, "vernaux");
                if (x == null) break;
                vers.add(new NeedAux(elf.dynamic().string(Bytes.u32(x, 8)), Bytes.u16(x, 4), Bytes.u16(x, 6)));
                long nx = Bytes.u32(x, 12);
                if (nx == 0) break;
                a += nx;
            }
            out.add(new Need(file, vers));
            if (next == 0) return;
            at += next;
        }
    }
}
