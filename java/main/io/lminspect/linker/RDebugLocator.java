package io.lminspect.linker;

import io.lminspect.elf.ByteSource;
import io.lminspect.elf.DynamicEntry;
import io.lminspect.elf.DynamicTag;
import io.lminspect.elf.ElfClass;
import io.lminspect.elf.ElfDynamic;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.elf.ElfSymbols;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.elf.Symbol;
import io.lminspect.inferior.Auxv;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Memory;
import io.lminspect.util.Hex;

import java.util.List;
import java.util.Optional;

/**
 * Finds the dynamic linker's r_debug the way pldd, gdb and libdwfl do: auxv →
 * the program headers in memory → PT_DYNAMIC → DT_DEBUG. Fallback: the
 * interpreter's exported {@code _r_debug} (glibc) or {@code _dl_debug_addr} (musl).
 */
public final class RDebugLocator {

    /** What was found, and how; address 0 with a reason when nothing was. */
    public record Location(long address, String how, String libc, String interpreterPath, long loadBias, String reason) {}

    private final Memory mem;

    public RDebugLocator(Memory mem) {
        this.mem = mem;
    }

    public Location locate() {
        Auxv auxv = mem.target().auxv();
        ElfClass c = mem.target().elfClass();
        long phdr = auxv.get(Auxv.AT_PHDR), phnum = auxv.get(Auxv.AT_PHNUM), phent = auxv.get(Auxv.AT_PHENT);
        long base = auxv.get(Auxv.AT_BASE);
        Mapping interp = base != 0 ? mem.mappings().find(base) : null;
        String interpPath = interp != null ? interp.path() : null;
        String libc = libcOf(interpPath);
        if (phdr == 0 || phnum == 0 || phnum > 4096 || phent != c.phdrSize())
            return new Location(0, null, libc, interpPath, 0, "the auxiliary vector has no usable AT_PHDR/AT_PHNUM");
        byte[] ph = mem.read(phdr, (int) (phnum * phent));
        if (ph == null)
            return new Location(0, null, libc, interpPath, 0, "the program headers at AT_PHDR " + Hex.of(phdr) + " are not readable");
        List<ProgramHeader> phdrs = ElfFile.parseProgramHeaders(ph, (int) phnum, c, (int) phent);
        long bias = loadBias(phdrs, phdr, c);
        ProgramHeader dyn = null;
        boolean hasInterp = false;
        for (ProgramHeader p : phdrs) {
            if (p.type() == ProgramHeader.PT_DYNAMIC) dyn = p;
            if (p.type() == ProgramHeader.PT_INTERP) {
                hasInterp = true;
                // PT_INTERP names the loader as the program asked for it (/lib/ld-musl-x86_64.so.1);
                // the mapping may show the symlink's target (/usr/lib/x86_64-linux-musl/libc.so)
                String requested = readInterp(bias + p.vaddr(), p.filesz());
                String byName = libcOf(requested);
                if (byName != null) libc = byName;
            }
        }
        if (dyn == null)
            return new Location(0, null, "static", interpPath, bias,
                    "a statically linked executable: it has no dynamic linker and no link_map chain");
        if (!hasInterp && base == 0 && libc == null) libc = "static-pie";
        long dynAddr = bias + dyn.vaddr();
        int len = (int) Math.min(Math.max(dyn.memsz(), 0), 64 * 1024);
        long span = mem.mappings().readableSpan(dynAddr, len);
        byte[] db = span > 0 ? mem.read(dynAddr, (int) span) : null;
        if (db != null) {
            for (DynamicEntry e : ElfDynamic.parse(db, db.length / c.dynSize(), c.wordSize())) {
                if (e.tag() == DynamicTag.DT_DEBUG && e.value() != 0)
                    return new Location(e.value(), "DT_DEBUG of the executable's PT_DYNAMIC at " + Hex.of(dynAddr),
                            libc == null ? "glibc" : libc, interpPath, bias, null);
            }
        }
        // DT_DEBUG still 0 (ld.so has not filled it yet) or absent: ask the interpreter's symbols.
        Location viaSymbol = fromInterpreterSymbol(interp, base, libc, interpPath, bias);
        if (viaSymbol != null) return viaSymbol;
        // started as "ld.so ./prog": the executable is the interpreter itself
        Mapping exeMap = mem.mappings().find(phdr);
        if (exeMap != null && exeMap.path().contains("/ld-")) {
            Location l = fromInterpreterSymbol(firstMappingOf(exeMap), bias, libcOf(exeMap.path()), exeMap.path(), bias);
            if (l != null) return l;
        }
        return new Location(0, null, libc, interpPath, bias,
                "DT_DEBUG is 0 and the interpreter exports no _r_debug: the dynamic linker has not published its state yet");
    }

    private String readInterp(long addr, long size) {
        if (size <= 1 || size > 4096) return null;
        byte[] b = mem.read(addr, (int) size);
        if (b == null) return null;
        int n = io.lminspect.util.Bytes.indexOfNul(b, 0, b.length);
        return new String(b, 0, n < 0 ? b.length : n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private Mapping firstMappingOf(Mapping m) {
        for (Mapping x : mem.mappings().ofFile(m.fileId())) return x;
        return m;
    }

    private Location fromInterpreterSymbol(Mapping interp, long base, String libc, String interpPath, long bias) {
        if (interp == null) return null;
        Optional<ByteSource> src = mem.target().openMappedFile(interp);
        if (src.isEmpty()) return null;
        try (ByteSource s = src.get()) {
            ElfFile ld = ElfFile.parse(s);
            for (Symbol sym : ElfSymbols.dynamic(ld)) {
                if (!sym.defined()) continue;
                if (sym.name().equals("_r_debug"))
                    return new Location(base + sym.value() - ld.firstLoadVaddr(), "the interpreter's _r_debug symbol", libc == null ? "glibc" : libc, interpPath, bias, null);
                if (sym.name().equals("_dl_debug_addr")) {
                    Long p = mem.readWord(base + sym.value() - ld.firstLoadVaddr());
                    if (p != null && p != 0)
                        return new Location(p, "musl's _dl_debug_addr", "musl", interpPath, bias, null);
                }
            }
        } catch (ElfFormatException e) {
            return null;
        }
        return null;
    }

    /**
     * Load bias = AT_PHDR − PT_PHDR's p_vaddr. Without PT_PHDR, assume the program headers
     * follow the ELF header (of the class's size: 64 or 52 bytes) at the start of the
     * PT_LOAD that maps file offset 0, as linkers lay them out.
     */
    static long loadBias(List<ProgramHeader> phdrs, long atPhdr, ElfClass c) {
        for (ProgramHeader p : phdrs) if (p.type() == ProgramHeader.PT_PHDR) return atPhdr - p.vaddr();
        for (ProgramHeader p : phdrs)
            if (p.type() == ProgramHeader.PT_LOAD && p.offset() == 0) return atPhdr - c.ehdrSize() - p.vaddr();
        return 0;
    }

    static String libcOf(String interpPath) {
        if (interpPath == null) return null;
        String n = interpPath.substring(interpPath.lastIndexOf('/') + 1);
        if (n.startsWith("ld-musl") || interpPath.contains("-linux-musl/")) return "musl";
        if (n.startsWith("ld-linux") || n.startsWith("ld-") || n.startsWith("ld.so")) return "glibc";
        return null;
    }
}
