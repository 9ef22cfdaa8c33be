package io.lminspect.linker;

import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Memory;
import io.lminspect.inferior.MemoryByteSource;
import io.lminspect.inferior.Mappings;
import io.lminspect.inferior.Target;

import java.util.ArrayList;
import java.util.List;

/** Joins each link_map entry to its mappings and its (safely opened, cached) file. */
public final class ObjectResolver {
    private final Target target;
    private final ElfCache cache;
    private final Memory memory;

    public ObjectResolver(Memory memory, ElfCache cache) {
        this.target = memory.target();
        this.memory = memory;
        this.cache = cache;
    }

    /** The same file may be loaded twice (dlmopen): keep the mappings inside this copy's address range. */
    private static List<Mapping> ownCopy(List<Mapping> fm, long lAddr, ElfFile elf) {
        long lo = Long.MAX_VALUE, hi = 0;
        for (io.lminspect.elf.ProgramHeader p : elf.programHeaders()) {
            if (p.type() != io.lminspect.elf.ProgramHeader.PT_LOAD) continue;
            lo = Math.min(lo, lAddr + (p.vaddr() & ~0xfffL));
            hi = Math.max(hi, lAddr + p.vaddr() + p.memsz());
        }
        if (lo == Long.MAX_VALUE) return fm;
        List<Mapping> own = new ArrayList<>();
        for (Mapping m : fm) if (Long.compareUnsigned(m.start(), lo) >= 0 && Long.compareUnsigned(m.start(), hi) < 0) own.add(m);
        return own.isEmpty() ? fm : own;
    }

    /** The vDSO has no file: its ELF image (two pages) is read from memory in one read. */
    private LoadedObject vdso(LinkMapEntry e, Mapping dm) {
        try {
            byte[] image = dm.size() <= 1 << 20 ? memory.read(dm.start(), (int) dm.size()) : null;
            ElfFile elf = ElfFile.parse(image != null ? new io.lminspect.elf.ArrayByteSource(image, "[vdso]")
                    : new MemoryByteSource(memory, dm.start(), dm.size(), "[vdso]"));
            return new LoadedObject(e, dm, List.of(dm), elf, null);
        } catch (ElfFormatException ex) {
            return new LoadedObject(e, dm, List.of(dm), null, ex.getMessage());
        }
    }

    public List<LoadedObject> resolve(List<LinkMapEntry> entries) {
        Mappings maps = target.mappings();
        List<LoadedObject> out = new ArrayList<>(entries.size());
        for (LinkMapEntry e : entries) {
            Mapping dm = e.lLd() != 0 ? maps.find(e.lLd()) : null;
            if (dm != null && "[vdso]".equals(dm.path())) {
                out.add(vdso(e, dm));
                continue;
            }
            if (dm == null || !dm.fileBacked()) {
                out.add(new LoadedObject(e, dm, List.of(), null, dm == null ? "l_ld is not inside any mapping" : null));
                continue;
            }
            List<Mapping> fm = maps.ofFile(dm.fileId());
            // the mapping at file offset 0 holds the ELF header; any of them opens the same inode
            Mapping first = dm;
            for (Mapping m : fm) if (m.offset() == 0) { first = m; break; }
            ElfCache.Entry c = cache.get(target, first);
            if (c.elf() != null) fm = ownCopy(fm, e.lAddr(), c.elf());
            out.add(new LoadedObject(e, dm, fm, c.elf(), c.error()));
        }
        return SonameReader.read(memory, out);
    }
}
