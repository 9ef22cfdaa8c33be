package io.lminspect.inferior;

import io.lminspect.elf.ProgramHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * A core's memory: the bytes of its PT_LOAD segments, read with positional
 * reads (the core is never read whole; multi-GB sparse cores are normal). What
 * the core did not dump — p_filesz 0 or short, or no segment at all (gcore
 * leaves clean file-backed mappings out) — is read from the file NT_FILE
 * names: those pages were clean, so the file holds what memory held (after a
 * `cp` over a library, that is the unrelocated bytes, as in the process).
 */
final class CoreMemory {
    /** Sorted by vaddr, non-overlapping, every dumped byte inside the core (checked by CoreFile). */
    private final List<ProgramHeader> loads;
    private final List<FileRange> files;
    private final FileChannel core;
    private final CoreMappedFiles mappedFiles;
    long coreReads;

    CoreMemory(List<ProgramHeader> loads, List<FileRange> files, FileChannel core, CoreMappedFiles mappedFiles) {
        this.loads = loads;
        this.files = files;
        this.core = core;
        this.mappedFiles = mappedFiles;
    }

    /** The segment holding addr, or null. */
    ProgramHeader loadAt(long addr) {
        int i = floor(addr);
        return i >= 0 && loads.get(i).containsVaddr(addr) ? loads.get(i) : null;
    }

    /** Index of the last segment starting at or below addr, or -1. */
    private int floor(long addr) {
        int lo = 0, hi = loads.size() - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(loads.get(mid).vaddr(), addr) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private long nextLoadStart(long addr) {
        int i = floor(addr) + 1;
        return i < loads.size() ? loads.get(i).vaddr() : -1L;
    }

    FileRange fileAt(long addr) {
        return io.lminspect.util.AddressRanges.find(files, addr, FileRange::start, FileRange::end);
    }

    /**
     * Reads up to len bytes at addr, stopping at the first byte that neither the
     * core nor a mapped file holds. dumpedOnly: the core's own bytes only.
     */
    int read(long addr, byte[] dst, int off, int len, boolean dumpedOnly) {
        int n = 0;
        while (n < len) {
            long a = addr + n;
            if (a == 0 && n > 0) break; // wrapped past the top of the address space
            ProgramHeader l = loadAt(a);
            int got;
            if (l != null && Long.compareUnsigned(a - l.vaddr(), l.filesz()) < 0) {
                got = readCore(l.offset() + (a - l.vaddr()), dst, off + n, cap(l.filesz() - (a - l.vaddr()), len - n));
            } else {
                FileRange f = dumpedOnly ? null : fileAt(a);
                if (f == null) break;
                int limit = cap(f.end() - a, len - n);
                if (l != null) limit = cap(l.vaddr() + l.memsz() - a, limit);
                long next = l == null ? nextLoadStart(a) : -1L;
                if (next != -1L && Long.compareUnsigned(next, a) > 0) limit = cap(next - a, limit);
                got = mappedFiles.read(f, f.offset() + (a - f.start()), dst, off + n, limit);
            }
            if (got <= 0) break;
            n += got;
        }
        return n;
    }

    /**
     * True when addr lies in memory the process had mapped but neither the core nor a
     * usable file holds: not dumped (clean file pages by default) and the file absent,
     * refused or of another build.
     */
    boolean absent(long addr) {
        ProgramHeader l = loadAt(addr);
        if (l != null && Long.compareUnsigned(addr - l.vaddr(), l.filesz()) < 0) return false;
        FileRange f = fileAt(addr);
        if (f == null) return l != null; // in a segment the core left out with no file behind it
        return !mappedFiles.usable(f);
    }

    /** min(an unsigned distance, max). */
    private static int cap(long unsignedDistance, int max) {
        return Long.compareUnsigned(unsignedDistance, max) < 0 ? (int) unsignedDistance : max;
    }

    private int readCore(long pos, byte[] dst, int off, int len) {
        int n = 0;
        try {
            while (n < len) {
                coreReads++;
                int r = core.read(ByteBuffer.wrap(dst, off + n, len - n), pos + n);
                if (r <= 0) break;
                n += r;
            }
        } catch (IOException e) {
            return n;
        }
        return n;
    }
}
