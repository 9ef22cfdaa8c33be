package io.lminspect.check;

import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfRelocations;
import io.lminspect.elf.ElfSymbols;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.elf.Relocation;
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
        boolean x64 = w == 8;
        List<Relocation> relocs = ElfRelocations.dynamic(elf);
        List<Symbol> syms = null;
        List<Relocation> kept = new ArrayList<>();
        java.util.Map<Long, Integer> perPage = new java.util.HashMap<>();
        for (Relocation r : relocs) {
            int kind = RelocationComparison.kindOf(r.type(), x64);
            if (kind == 0) continue;
            if (perPage.merge(r.offset() >>> 12, 1, Integer::sum) > WORDS_PER_PAGE) continue;
            if (kind != RelocationComparison.RELATIVE) {
                if (syms == null) syms = elf.derived("dynsym", ElfSymbols::dynamic);
                Symbol s = r.symIndex() < syms.size() ? syms.get(r.symIndex()) : null;
                // an undefined weak symbol legitimately resolves to 0, the file's raw value too
                if (s == null || (!s.defined() && s.binding() == Symbol.STB_WEAK)) continue;
            }
            kept.add(r);
        }
        SegmentBytes bytes = new SegmentBytes(elf);
        List<long[]> rows = new ArrayList<>(kept.size());
        for (Relocation r : kept) {
            Long rawValue = bytes.word(r.offset(), w);
            if (rawValue == null) continue; // in .bss: the file has no bytes to compare with
            int kind = RelocationComparison.kindOf(r.type(), x64);
            if (kind == RelocationComparison.JUMP_SLOT && rawValue == 0) continue;
            boolean rel = kind == RelocationComparison.RELATIVE;
            rows.add(new long[]{r.offset(), rawValue, rel ? (r.explicitAddend() ? r.addend() : rawValue) : 0, rel ? 1 : 0});
        }
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
