package io.lminspect.elf;

import io.lminspect.util.Bytes;

import java.util.ArrayList;
import java.util.List;

/** Dynamic relocations, found the way ld.so finds them: DT_RELA/DT_REL, DT_JMPREL, DT_RELR. */
public final class ElfRelocations {
    /** More than any real library has (libxul: ~400k); bounds hostile input. */
    static final int MAX_RELOCS = 4_000_000;

    private ElfRelocations() {}

    /** Receives relocations one by one, without an object each (libraries have 100k of them). */
    public interface Visitor {
        void relocation(long offset, int type, int symIndex, long addend, boolean explicitAddend);
    }

    public static List<Relocation> dynamic(ElfFile elf) {
        List<Relocation> out = new ArrayList<>();
        forEach(elf, (off, type, sym, addend, explicit) -> out.add(new Relocation(off, type, sym, addend, explicit)));
        return out;
    }

    /** Every dynamic relocation, in table order (at most MAX_RELOCS). */
    public static void forEach(ElfFile elf, Visitor v) {
        ElfDynamic d = elf.dynamic();
        Bounded bounded = new Bounded(v);
        boolean rela = elf.elfClass().usesRela();
        if (d.has(DynamicTag.DT_RELA)) table(elf, d.get(DynamicTag.DT_RELA), d.get(DynamicTag.DT_RELASZ), true, bounded);
        if (d.has(DynamicTag.DT_REL)) table(elf, d.get(DynamicTag.DT_REL), d.get(DynamicTag.DT_RELSZ), false, bounded);
        if (d.has(DynamicTag.DT_JMPREL)) {
            long kind = d.get(DynamicTag.DT_PLTREL);
            boolean jrela = kind < 0 ? rela : kind == DynamicTag.DT_RELA;
            table(elf, d.get(DynamicTag.DT_JMPREL), d.get(DynamicTag.DT_PLTRELSZ), jrela, bounded);
        }
        if (d.has(DynamicTag.DT_RELR)) relr(elf, d.get(DynamicTag.DT_RELR), d.get(DynamicTag.DT_RELRSZ), bounded);
    }

    /** Stops every table walk once MAX_RELOCS were delivered (a hostile RELR bitmap could name billions). */
    private static final class Bounded implements Visitor {
        private final Visitor target;
        private int count;

        Bounded(Visitor target) {
            this.target = target;
        }

        boolean full() {
            return count >= MAX_RELOCS;
        }

        @Override
        public void relocation(long offset, int type, int symIndex, long addend, boolean explicitAddend) {
            if (count++ < MAX_RELOCS) target.relocation(offset, type, symIndex, addend, explicitAddend);
        }
    }

    private static void table(ElfFile elf, long vaddr, long size, boolean rela, Bounded out) {
        int w = elf.wordSize();
        int ent = rela ? 3 * w : 2 * w;
        if (size <= 0 || size > ElfFile.MAX_TABLE_BYTES) return;
        byte[] b = elf.readVaddr(vaddr, size, "relocation table");
        if (b == null) return;
        for (int o = 0; o + ent <= b.length && !out.full(); o += ent) {
            long off = Bytes.word(b, o, w);
            long info = Bytes.word(b, o + w, w);
            long addend = rela ? Bytes.word(b, o + 2 * w, w) : 0;
            if (w == 4 && rela) addend = (int) addend;
            out.relocation(off, elf.elfClass().relocType(info), elf.elfClass().relocSymbol(info), addend, rela);
        }
    }

    /** SHT_RELR: an address word, then bitmaps of the following words that need the same treatment. */
    private static void relr(ElfFile elf, long vaddr, long size, Bounded out) {
        int w = elf.wordSize();
        if (size <= 0 || size > ElfFile.MAX_TABLE_BYTES) return;
        byte[] b = elf.readVaddr(vaddr, size, "RELR table");
        if (b == null) return;
        long where = 0;
        for (int o = 0; o + w <= b.length && !out.full(); o += w) {
            long e = Bytes.word(b, o, w);
            if ((e & 1) == 0) {
                out.relocation(e, Relocation.RELR, 0, 0, false);
                where = e + w;
            } else {
                long bits = e >>> 1;
                for (int i = 0; i < 8 * w - 1 && bits != 0; i++, bits >>>= 1)
                    if ((bits & 1) != 0) out.relocation(where + (long) i * w, Relocation.RELR, 0, 0, false);
                where += (long) (8 * w - 1) * w;
            }
        }
    }
}
