package io.lminspect.inferior;

import io.lminspect.elf.ByteSource;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.elf.ProgramHeader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A core's mapping list, as /proc/PID/maps would have shown it: every PT_LOAD
 * (permissions from p_flags; the file and offset from NT_FILE when one covers
 * it), plus the NT_FILE ranges no PT_LOAD covers (gcore leaves clean file
 * mappings out entirely; their permissions come from the file's own program
 * headers). NT_FILE carries no device or inode: each distinct path gets a
 * stable stand-in inode so "all mappings of this file" still works.
 */
final class CoreMappingsBuilder {
    static final long VSYSCALL = 0xffffffffff600000L;

    private final List<ProgramHeader> loads;
    private final CoreMappedFiles files;
    private final Map<String, Long> inodes = new HashMap<>();
    private final Map<String, List<ProgramHeader>> fileSegments = new HashMap<>();

    private CoreMappingsBuilder(List<ProgramHeader> loads, CoreMappedFiles files) {
        this.loads = loads;
        this.files = files;
    }

    static List<Mapping> build(List<ProgramHeader> loads, List<FileRange> ranges, Auxv auxv, CoreMappedFiles files) {
        return new CoreMappingsBuilder(loads, files).build(ranges, auxv);
    }

    private List<Mapping> build(List<FileRange> ranges, Auxv auxv) {
        List<Mapping> out = new ArrayList<>(loads.size() + ranges.size());
        CoreMemory lookup = new CoreMemory(loads, ranges, null, files);
        for (ProgramHeader l : loads) {
            long end = l.vaddr() + l.memsz();
            FileRange f = lookup.fileAt(l.vaddr());
            if (f != null) {
                out.add(new Mapping(l.vaddr(), end, perms(l.flags()), f.offset() + (l.vaddr() - f.start()), 0, inode(f), f.path(), f.deleted()));
            } else {
                out.add(new Mapping(l.vaddr(), end, perms(l.flags()), 0, 0, 0, pseudoName(l, auxv), false));
            }
        }
        for (FileRange f : ranges) addUncovered(out, f, lookup);
        return out;
    }

    /** The parts of f that no PT_LOAD covers. */
    private void addUncovered(List<Mapping> out, FileRange f, CoreMemory lookup) {
        long a = f.start();
        while (Long.compareUnsigned(a, f.end()) < 0) {
            ProgramHeader l = lookup.loadAt(a);
            if (l != null) {
                long next = l.vaddr() + l.memsz();
                if (Long.compareUnsigned(next, a) <= 0) return; // the segment reaches the top of the address space
                a = next;
                continue;
            }
            long gapEnd = f.end();
            for (ProgramHeader x : loadsFrom(a)) {
                if (Long.compareUnsigned(x.vaddr(), gapEnd) < 0) gapEnd = x.vaddr();
                break;
            }
            long off = f.offset() + (a - f.start());
            out.add(new Mapping(a, gapEnd, permsFromFile(f, off), off, 0, inode(f), f.path(), f.deleted()));
            a = gapEnd;
        }
    }

    /** The first segment starting above addr (as a 0- or 1-element list). */
    private List<ProgramHeader> loadsFrom(long addr) {
        int lo = 0, hi = loads.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(loads.get(mid).vaddr(), addr) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo < loads.size() ? List.of(loads.get(lo)) : List.of();
    }

    private long inode(FileRange f) {
        return inodes.computeIfAbsent(f.path() + (f.deleted() ? Mappings.DELETED : ""), k -> (long) inodes.size() + 1);
    }

    private static String perms(int flags) {
        return ((flags & ProgramHeader.PF_R) != 0 ? "r" : "-") + ((flags & ProgramHeader.PF_W) != 0 ? "w" : "-")
                + ((flags & ProgramHeader.PF_X) != 0 ? "x" : "-") + "p";
    }

    /** What /proc/PID/maps calls the anonymous segments lminspect cares about. */
    private static String pseudoName(ProgramHeader l, Auxv auxv) {
        long vdso = auxv.get(Auxv.AT_SYSINFO_EHDR);
        if (vdso != 0 && l.vaddr() == vdso) return "[vdso]";
        if (l.vaddr() == VSYSCALL) return "[vsyscall]";
        long execfn = auxv.get(Auxv.AT_EXECFN);
        if (execfn != 0 && l.containsVaddr(execfn)) return "[stack]";
        return "";
    }

    /** Permissions of a file mapping the core left out: those of the file's PT_LOAD at that offset ("r--p" when unknown). */
    private String permsFromFile(FileRange f, long off) {
        List<ProgramHeader> segs = fileSegments.computeIfAbsent(f.path() + (f.deleted() ? "\0" : ""), k -> segmentsOf(f));
        for (ProgramHeader p : segs) {
            if (p.type() != ProgramHeader.PT_LOAD) continue;
            long from = p.offset() & ~0xfffL;
            if (off >= from && off < p.offset() + Math.max(p.filesz(), 1)) return perms(p.flags());
        }
        return "r--p";
    }

    private List<ProgramHeader> segmentsOf(FileRange f) {
        Optional<ByteSource> src = files.open(f.path(), f.deleted());
        if (src.isEmpty()) return List.of();
        try (ByteSource s = src.get()) {
            return ElfFile.parse(s).programHeaders();
        } catch (ElfFormatException e) {
            return List.of(); // a data file (a jar, a font): not ELF
        }
    }
}
