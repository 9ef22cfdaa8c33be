package io.lminspect.check;

import io.lminspect.elf.ElfClass;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfRelocations;
import io.lminspect.elf.ElfSymbols;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.elf.Symbol;
import io.lminspect.util.Bytes;

import java.util.ArrayList;
import java.util.List;

/**
 * What a file's relocations should do, independent of where it is loaded: for
 * each relocated word its link-time offset, the raw bytes the file holds there,
 * and (for relative relocations) the addend. Computed once per file with one
 * bulk read per segment, then reused for every process that maps the file.
 *
 * The kernel drops and re-reads whole pages, so a reverted page shows in every
 * relocated word it holds: a few words per page are as good a witness as all of
 * them, and keep the check cheap on libraries with 100k relocations.
 */
final class RelocationPlan {
    static final int WORDS_PER_PAGE = 4;
    final long[] offset;
    final long[] raw;
    final long[] addend;
    final boolean[] relative;

    private RelocationPlan(int n) {
        offset = new long[n];
        raw = new long[n];
        addend = new long[n];
        relative = new boolean[n];
    }

    int size() {
        return offset.length;
    }

    static RelocationPlan of(ElfFile elf) {
        int w = elf.wordSize();
        boolean x64 = elf.elfClass() == ElfClass.ELF64;
        java.util.Map<Long, Integer> perPage = new java.util.HashMap<>();
        SymbolBindings syms = new SymbolBindings(elf);
        SegmentBytes bytes = new SegmentBytes(elf);
        List<long[]> rows = new ArrayList<>();
        ElfRelocations.forEach(elf, (offset, type, symIndex, addend, explicit) -> {
            int kind = RelocationComparison.kindOf(type, x64);
            if (kind == 0) return;
            if (perPage.merge(offset >>> 12, 1, Integer::sum) > WORDS_PER_PAGE) return;
            // an undefined weak symbol legitimately resolves to 0, the file's raw value too
            if (kind != RelocationComparison.RELATIVE && !syms.resolvesNonZero(symIndex)) return;
            Long rawValue = bytes.word(offset, w);
            if (rawValue == null) return; // in .bss: the file has no bytes to compare with
            if (kind == RelocationComparison.JUMP_SLOT && rawValue == 0) return;
            boolean rel = kind == RelocationComparison.RELATIVE;
            rows.add(new long[]{offset, rawValue, rel ? (explicit ? addend : rawValue) : 0, rel ? 1 : 0});
        });
        RelocationPlan p = new RelocationPlan(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            long[] x = rows.get(i);
            p.offset[i] = x[0];
            p.raw[i] = x[1];
            p.addend[i] = x[2];
            p.relative[i] = x[3] == 1;
        }
        return p;
    }

    /** st_info and st_shndx of dynamic symbols, read from .dynsym's bytes on demand (no names, no objects). */
    private static final class SymbolBindings {
        private final ElfFile elf;
        private final int ent, infoOffset;
        private byte[] table;
        /** Without section headers .dynsym is found through the dynamic array: use the parsed symbols. */
        private List<Symbol> parsed;

        SymbolBindings(ElfFile elf) {
            this.elf = elf;
            this.ent = elf.elfClass().symSize();
            this.infoOffset = elf.elfClass().symInfoOffset();
        }

        /** False for a missing symbol and for an undefined weak one (which resolves to 0). */
        boolean resolvesNonZero(int index) {
            if (table == null && parsed == null) load();
            if (index <= 0) return false;
            if (parsed != null) {
                if (index >= parsed.size()) return false;
                Symbol s = parsed.get(index);
                return s.defined() || s.binding() != Symbol.STB_WEAK;
            }
            int o = index * ent;
            if (o + ent > table.length) return false;
            int info = table[o + infoOffset] & 0xff;
            int shndx = Bytes.u16(table, o + infoOffset + 2);
            return shndx != Symbol.SHN_UNDEF || (info >> 4) != Symbol.STB_WEAK;
        }

        private void load() {
            for (io.lminspect.elf.Section s : elf.sections())
                if (s.type() == io.lminspect.elf.Section.SHT_DYNSYM) table = elf.sectionBytes(s);
            if (table == null) parsed = elf.derived("dynsym", ElfSymbols::dynamic);
        }
    }

    /** The file bytes of each writable PT_LOAD (where relocation targets live), read once, lazily. */
    private static final class SegmentBytes {
        private final ElfFile elf;
        private final List<ProgramHeader> loads = new ArrayList<>();
        private final byte[][] data;

        SegmentBytes(ElfFile elf) {
            this.elf = elf;
            for (ProgramHeader p : elf.programHeaders()) if (p.type() == ProgramHeader.PT_LOAD) loads.add(p);
            data = new byte[loads.size()][];
        }

        Long word(long vaddr, int w) {
            for (int i = 0; i < loads.size(); i++) {
                ProgramHeader p = loads.get(i);
                if (Long.compareUnsigned(vaddr, p.vaddr()) < 0 || Long.compareUnsigned(vaddr + w, p.vaddr() + p.filesz()) > 0) continue;
                if (data[i] == null) {
                    byte[] b = elf.readVaddr(p.vaddr(), p.filesz(), "segment");
                    data[i] = b == null ? new byte[0] : b;
                }
                int off = (int) (vaddr - p.vaddr());
                if (off + w > data[i].length) return null;
                return Bytes.word(data[i], off, w);
            }
            return null;
        }
    }
}
