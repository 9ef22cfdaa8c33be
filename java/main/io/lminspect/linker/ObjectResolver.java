package io.lminspect.linker;

import io.lminspect.elf.ArrayByteSource;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Mappings;
import io.lminspect.inferior.Memory;
import io.lminspect.inferior.MemoryByteSource;
import io.lminspect.inferior.ReadRequest;
import io.lminspect.inferior.Target;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins each link_map entry to its mappings, its program headers and its file. The program
 * headers are read from the target's memory, all objects in one batch, where ld.so mapped
 * each object's first page (ELF header and program headers, as the file has them), once per
 * file in a run (ElfCache); the file itself is opened only when a check asks for its
 * contents (ObjectFile).
 */
public final class ObjectResolver {
    /** The ELF header and the program headers sit in the first page of every object linkers make. */
    static final int HEADER_READ = 4096;

    private final Target target;
    private final ElfCache cache;
    private final Memory memory;

    public ObjectResolver(Memory memory, ElfCache cache) {
        this.target = memory.target();
        this.memory = memory;
        this.cache = cache;
    }

    /** The same file may be loaded twice (dlmopen): keep the mappings inside this copy's address range. */
    private static List<Mapping> ownCopy(List<Mapping> fm, long lAddr, List<ProgramHeader> phdrs) {
        long lo = Long.MAX_VALUE, hi = 0;
        for (ProgramHeader p : phdrs) {
            if (p.type() != ProgramHeader.PT_LOAD) continue;
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
            ElfFile elf = image != null ? VdsoImage.parse(image)
                    : ElfFile.parse(new MemoryByteSource(memory, dm.start(), dm.size(), "[vdso]"));
            return new LoadedObject(e, dm, List.of(dm), elf.programHeaders(), ObjectFile.known(elf, null));
        } catch (ElfFormatException ex) {
            return new LoadedObject(e, dm, List.of(dm), List.of(), ObjectFile.known(null, ex.getMessage()));
        }
    }

    /** A file-backed object before its program headers are known. */
    private record Pending(LinkMapEntry entry, Mapping dynamicMapping, List<Mapping> fileMappings, Mapping first,
                           ReadRequest header, List<ProgramHeader> known) {}

    public List<LoadedObject> resolve(List<LinkMapEntry> entries) {
        Mappings maps = target.mappings();
        Object[] slots = new Object[entries.size()]; // a LoadedObject, or a Pending until the batch is read
        List<ReadRequest> headers = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            LinkMapEntry e = entries.get(i);
            Mapping dm = e.lLd() != 0 ? maps.find(e.lLd()) : null;
            if (dm != null && "[vdso]".equals(dm.path())) {
                slots[i] = vdso(e, dm);
            } else if (dm == null || !dm.fileBacked()) {
                slots[i] = new LoadedObject(e, dm, List.of(), List.of(),
                        ObjectFile.known(null, dm == null ? "l_ld is not inside any mapping" : null));
            } else {
                List<Mapping> fm = maps.ofFile(dm.fileId());
                // the mapping at file offset 0 holds the ELF header; any of them opens the same inode
                Mapping first = dm;
                for (Mapping m : fm) if (m.offset() == 0) { first = m; break; }
                List<ProgramHeader> known = cache.headers(first);
                ReadRequest h = known == null && first.offset() == 0 ? new ReadRequest(first.start(), (int) Math.min(HEADER_READ, first.size())) : null;
                if (h != null) headers.add(h);
                slots[i] = new Pending(e, dm, fm, first, h, known);
            }
        }
        memory.readChecked(headers);
        List<LoadedObject> out = new ArrayList<>(entries.size());
        for (Object slot : slots) {
            if (slot instanceof LoadedObject o) {
                out.add(o);
                continue;
            }
            Pending p = (Pending) slot;
            ObjectFile file = ObjectFile.lazy(cache, target, p.first());
            List<ProgramHeader> phdrs = p.known() != null ? p.known() : programHeaders(p.header(), p.first().path());
            if (phdrs != null) cache.rememberHeaders(p.first(), phdrs);
            else phdrs = file.elf() != null ? file.elf().programHeaders() : List.of(); // the page is not in memory (a core): the file's
            List<Mapping> fm = phdrs.isEmpty() ? p.fileMappings() : ownCopy(p.fileMappings(), p.entry().lAddr(), phdrs);
            out.add(new LoadedObject(p.entry(), p.dynamicMapping(), fm, phdrs, file));
        }
        return SonameReader.read(memory, out);
    }

    /** The program headers in a header page read from memory, or null when it was not read or holds no ELF image. */
    private static List<ProgramHeader> programHeaders(ReadRequest header, String name) {
        if (header == null || header.got <= 0) return null;
        byte[] b = header.got == header.data.length ? header.data : java.util.Arrays.copyOf(header.data, header.got);
        try {
            return ElfFile.parse(new ArrayByteSource(b, name)).programHeaders();
        } catch (ElfFormatException e) {
            return null; // headers beyond the first page, or a page the process overwrote: the file decides
        }
    }
}
