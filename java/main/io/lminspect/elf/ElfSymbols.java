package io.lminspect.elf;

import io.lminspect.util.Bytes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Symbol tables: .dynsym (also found without sections, through the dynamic array) and .symtab. */
public final class ElfSymbols {
    private ElfSymbols() {}

    /** The dynamic symbols, in index order (index matters: relocations and .gnu.version use it). */
    public static List<Symbol> dynamic(ElfFile elf) {
        Section s = sectionOfType(elf, Section.SHT_DYNSYM);
        if (s != null) return fromSection(elf, s);
        ElfDynamic d = elf.dynamic();
        long symtab = d.get(DynamicTag.DT_SYMTAB);
        if (symtab < 0) return List.of();
        int count = dynsymCount(elf);
        byte[] b = elf.readVaddr(symtab, (long) count * elf.elfClass().symSize(), ".dynsym");
        if (b == null) return List.of();
        return parse(b, count, elf.elfClass(), d::string);
    }

    /** .symtab when present (unstripped files), else .dynsym. */
    public static List<Symbol> best(ElfFile elf) {
        Section s = sectionOfType(elf, Section.SHT_SYMTAB);
        if (s != null) {
            List<Symbol> l = fromSection(elf, s);
            if (!l.isEmpty()) return l;
        }
        return dynamic(elf);
    }

    static Section sectionOfType(ElfFile elf, int type) {
        for (Section s : elf.sections()) if (s.type() == type) return s;
        return null;
    }

    static List<Symbol> fromSection(ElfFile elf, Section s) {
        List<Section> all = elf.sections();
        if (s.link() <= 0 || s.link() >= all.size()) return List.of();
        byte[] names = elf.sectionBytes(all.get(s.link()));
        byte[] b = elf.sectionBytes(s);
        if (b == null || names == null) return List.of();
        return parse(b, b.length / elf.elfClass().symSize(), elf.elfClass(), off -> ElfFile.cString(names, off));
    }

    interface Names { String at(long off); }

    /** st_name, then st_value and st_size as words at one and two words; st_info, st_other, st_shndx where the class puts them. */
    static List<Symbol> parse(byte[] b, int count, ElfClass c, Names names) {
        int ent = c.symSize(), w = c.wordSize(), info = c.symInfoOffset();
        List<Symbol> out = new ArrayList<>(Math.min(count, b.length / ent));
        for (int i = 0; i < count && (i + 1) * ent <= b.length; i++) {
            int o = i * ent;
            out.add(new Symbol(names.at(Bytes.u32(b, o)), Bytes.word(b, o + w, w), Bytes.word(b, o + 2 * w, w),
                    b[o + info] & 0xff, b[o + info + 1] & 0xff, Bytes.u16(b, o + info + 2), i));
        }
        return out;
    }

    /** Number of .dynsym entries without section headers: DT_HASH's nchain, or the end of DT_GNU_HASH's chains. */
    static int dynsymCount(ElfFile elf) {
        ElfDynamic d = elf.dynamic();
        long hash = d.get(DynamicTag.DT_HASH);
        if (hash >= 0) {
            byte[] h = elf.readVaddr(hash, 8, "DT_HASH");
            if (h != null) return (int) Math.min(Bytes.u32(h, 4), 1 << 20);
        }
        long gnu = d.get(DynamicTag.DT_GNU_HASH);
        if (gnu < 0) return 0;
        byte[] h = elf.readVaddr(gnu, 16, "DT_GNU_HASH");
        if (h == null) return 0;
        long nbuckets = Bytes.u32(h, 0), symoffset = Bytes.u32(h, 4), bloomSize = Bytes.u32(h, 8);
        if (nbuckets > 1 << 20 || bloomSize > 1 << 20) return 0;
        long bucketsAt = gnu + 16 + bloomSize * elf.wordSize();
        byte[] buckets = elf.readVaddr(bucketsAt, nbuckets * 4, "GNU hash buckets");
        if (buckets == null) return 0;
        long max = 0;
        for (int i = 0; i < nbuckets; i++) max = Math.max(max, Bytes.u32(buckets, i * 4));
        if (max < symoffset) return (int) symoffset;
        long chainAt = bucketsAt + nbuckets * 4;
        // the chain of the highest bucket ends at the last symbol: read the chain area once, bounded
        long words = Math.min(1 << 20, Math.max(0, elf.source().size() / 4));
        byte[] chain = null;
        for (long n = words; n > 0 && chain == null; n /= 2) chain = elf.readVaddr(chainAt + (max - symoffset) * 4, n * 4, "GNU hash chain");
        if (chain == null) return (int) max + 1;
        for (int k = 0; k + 4 <= chain.length; k += 4)
            if ((Bytes.u32(chain, k) & 1) != 0) return (int) (max + k / 4 + 1);
        return (int) (max + chain.length / 4);
    }

    /** Function and object symbols with an address, sorted for address lookup. */
    public static List<Symbol> sortedByAddress(List<Symbol> syms) {
        List<Symbol> out = new ArrayList<>();
        for (Symbol s : syms) {
            int t = s.type();
            if (s.defined() && s.value() != 0 && (t == Symbol.STT_FUNC || t == Symbol.STT_OBJECT || t == Symbol.STT_GNU_IFUNC || t == Symbol.STT_NOTYPE)
                    && !s.name().isEmpty() && !s.name().startsWith("$"))
                out.add(s);
        }
        out.sort(Comparator.comparingLong(Symbol::value));
        return out;
    }

    /**
     * The symbol covering a link-time address: the nearest one at or below it that
     * either has a size covering it, or (for sizeless symbols) is the closest.
     */
    public static Symbol covering(List<Symbol> sorted, long vaddr) {
        int lo = 0, hi = sorted.size() - 1, best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted.get(mid).value(), vaddr) <= 0) { best = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (best < 0) return null;
        // several symbols may share an address; prefer one whose size covers vaddr
        for (int i = best; i >= 0 && i > best - 16; i--) {
            Symbol s = sorted.get(i);
            if (Long.compareUnsigned(vaddr, s.value() + Math.max(s.size(), 1)) < 0) return s;
        }
        Symbol s = sorted.get(best);
        return s.size() == 0 && vaddr - s.value() < 0x10000 ? s : null;
    }
}
