package io.lminspect.linker;

import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfSymbols;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.elf.Symbol;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Target;
import io.lminspect.util.Hex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names an address of a target as "object symbol+offset": the mapping that
 * holds it, the file offset there, the segment's link-time address, and the
 * covering symbol (.symtab when the file has one, else .dynsym).
 */
public final class AddressNamer {

    /** object: mapping path (or [vdso], [heap]…); symbol/offset null when no symbol covers it. */
    public record Name(String object, long fileOffset, String symbol, long symbolOffset) {
        public String symbolText() {
            return symbol == null ? null : symbol + "+" + Hex.of(symbolOffset);
        }

        @Override
        public String toString() {
            String o = object == null ? "?" : object.substring(object.lastIndexOf('/') + 1);
            return symbol == null ? o + "+" + Hex.of(fileOffset) : o + " " + symbolText();
        }
    }

    private final Target target;
    private final ElfCache cache;
    private final Map<ElfFile, List<Symbol>> sorted = new HashMap<>();

    public AddressNamer(Target target, ElfCache cache) {
        this.target = target;
        this.cache = cache;
    }

    /** The name of addr, or null when no mapping holds it. */
    public Name name(long addr) {
        Mapping m = target.mappings().find(addr);
        if (m == null) return null;
        long fileOffset = m.offset() + (addr - m.start());
        if (!m.fileBacked()) return new Name(m.path().isEmpty() ? "[anonymous]" : m.path(), addr - m.start(), null, 0);
        ElfCache.Entry e = cache.get(target, m);
        if (e.elf() == null) return new Name(m.path(), fileOffset, null, 0);
        return symbolize(m.path(), e.elf(), fileOffset);
    }

    /** Symbolizes a file offset of an ELF file (also what `decode` uses with a binary at hand). */
    public Name symbolize(String object, ElfFile elf, long fileOffset) {
        long vaddr = fileOffsetToVaddr(elf, fileOffset);
        if (vaddr < 0) return new Name(object, fileOffset, null, 0);
        List<Symbol> syms = sorted.computeIfAbsent(elf, AddressNamer::symbolsOf);
        Symbol s = ElfSymbols.covering(syms, vaddr);
        if (s == null) return new Name(object, fileOffset, null, 0);
        // .symtab names of versioned definitions carry the version ("clock_nanosleep@@GLIBC_2.17")
        String n = s.name();
        int at = n.indexOf('@');
        return new Name(object, fileOffset, at > 0 ? n.substring(0, at) : n, vaddr - s.value());
    }

    /**
     * .symtab when the file has one; else the build-id debug file's (a stripped
     * system library with its -dbg package installed); else .dynsym.
     */
    private static List<Symbol> symbolsOf(ElfFile elf) {
        boolean hasSymtab = false;
        for (io.lminspect.elf.Section s : elf.sections()) if (s.type() == io.lminspect.elf.Section.SHT_SYMTAB) hasSymtab = true;
        if (!hasSymtab) {
            ElfFile dbg = io.lminspect.elf.DebugFiles.find(elf, io.lminspect.elf.DebugFiles.DEFAULT_DIR);
            if (dbg != null) {
                List<Symbol> l = ElfSymbols.sortedByAddress(ElfSymbols.best(dbg));
                if (!l.isEmpty()) return l;
            }
        }
        return ElfSymbols.sortedByAddress(ElfSymbols.best(elf));
    }

    /** Link-time address of a file offset, through the PT_LOAD that maps it; -1 if none does. */
    public static long fileOffsetToVaddr(ElfFile elf, long off) {
        for (ProgramHeader p : elf.programHeaders()) {
            if (p.type() != ProgramHeader.PT_LOAD) continue;
            if (off >= p.offset() && off < p.offset() + Math.max(p.filesz(), 1)) return p.vaddr() + (off - p.offset());
        }
        return -1;
    }
}
