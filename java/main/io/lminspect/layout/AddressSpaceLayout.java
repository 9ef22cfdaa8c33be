package io.lminspect.layout;

import io.lminspect.elf.ElfClass;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Mappings;

import java.util.ArrayList;
import java.util.List;

/**
 * A process's address space as a person reads it: exe text/data/bss, heap,
 * mmap area, stack, vdso; the room the heap has above brk; the room below the
 * stack; and whether the mmap area grows bottom-up (legacy) or top-down.
 * Built from /proc/PID/maps and /proc/PID/stat alone (never smaps).
 */
public final class AddressSpaceLayout {

    /** brk as the kernel keeps it, and what stops it from growing. */
    public record Brk(long start, long end, Mapping next, long headroom) {}

    /** The stack mapping and the free room below it down to the next mapping. */
    public record Stack(Mapping mapping, Mapping below, long gapBelow) {}

    private final List<Region> regions;
    private final Brk brk;
    private final Stack stack;
    private final long mmapLow, mmapHigh;
    private final long taskSize;
    private final boolean bottomUp;

    private AddressSpaceLayout(List<Region> regions, Brk brk, Stack stack, long mmapLow, long mmapHigh, long taskSize) {
        this.regions = regions;
        this.brk = brk;
        this.stack = stack;
        this.mmapLow = mmapLow;
        this.mmapHigh = mmapHigh;
        this.taskSize = taskSize;
        // top-down puts mmap_base just below the stack; legacy starts at TASK_SIZE/3 and grows up
        this.bottomUp = mmapHigh != 0 && Long.compareUnsigned(mmapHigh, taskSize / 2) < 0;
    }

    /**
     * Classifies the mappings. exePath names the executable's mapping; startBrk is
     * /proc/PID/stat field 47 (0 when the kernel hides it). The current brk is not
     * in /proc: the kernel names "[heap]" the mapping that spans [start_brk, brk],
     * so its end is brk rounded up to a page (and brk == start_brk when there is none).
     */
    public static AddressSpaceLayout of(Mappings maps, String exePath, long startBrk, ElfClass elfClass) {
        List<Mapping> all = maps.all();
        List<Region> out = new ArrayList<>();
        Mapping heap = null;
        Mapping stackMapping = null;
        long exeEnd = -1;
        for (Mapping m : all) {
            Region.Kind k = classify(m, exePath, exeEnd);
            if (k == Region.Kind.EXE_TEXT || k == Region.Kind.EXE_DATA || k == Region.Kind.EXE_RODATA || k == Region.Kind.EXE_BSS)
                exeEnd = m.end();
            if (k == Region.Kind.HEAP && heap == null) heap = m;
            if (k == Region.Kind.STACK) stackMapping = m;
            out.add(new Region(k, m));
        }
        if (startBrk == 0 && heap != null) startBrk = heap.start();
        long brkNow = heap != null ? heap.end() : startBrk;
        Brk brk = null;
        if (brkNow != 0) {
            long top = pageUp(brkNow);
            Mapping next = firstAtOrAbove(all, top, heap);
            long headroom = next == null ? -1 : next.start() - top;
            brk = new Brk(startBrk, brkNow, next, headroom);
        }
        Stack stack = null;
        if (stackMapping != null) {
            Mapping below = lastBelow(all, stackMapping.start());
            stack = new Stack(stackMapping, below, below == null ? stackMapping.start() : stackMapping.start() - below.end());
        }
        // libraries mark where mmap_base is; a stray mmap near the heap must not stretch the area down to it
        long low = 0, high = 0, anyLow = 0;
        for (Region r : out) {
            if (!r.kind().mmapArea()) continue;
            long s = r.mapping().start();
            boolean library = r.kind() == Region.Kind.LIBRARY_TEXT || r.kind() == Region.Kind.LIBRARY_DATA
                    || r.kind() == Region.Kind.LIBRARY_RODATA;
            if (library && (low == 0 || Long.compareUnsigned(s, low) < 0)) low = s;
            if (anyLow == 0 || Long.compareUnsigned(s, anyLow) < 0) anyLow = s;
            if (Long.compareUnsigned(r.mapping().end(), high) > 0) high = r.mapping().end();
        }
        if (low == 0) low = anyLow;
        return new AddressSpaceLayout(out, brk, stack, low, high, taskSize(elfClass, stackMapping));
    }

    private static Region.Kind classify(Mapping m, String exePath, long exeEnd) {
        String p = m.path();
        switch (p) {
            case "[heap]": return Region.Kind.HEAP;
            case "[stack]": return Region.Kind.STACK;
            case "[vdso]": return Region.Kind.VDSO;
            case "[vvar]", "[vvar_vclock]": return Region.Kind.VVAR;
            case "[vsyscall]": return Region.Kind.VSYSCALL;
            default: break;
        }
        if (p.startsWith("[stack:")) return Region.Kind.ANONYMOUS;
        if (m.fileBacked()) {
            boolean exe = p.equals(exePath);
            if (m.executable()) return exe ? Region.Kind.EXE_TEXT : Region.Kind.LIBRARY_TEXT;
            if (m.writable()) return exe ? Region.Kind.EXE_DATA : Region.Kind.LIBRARY_DATA;
            if (!m.readable()) return exe ? Region.Kind.EXE_RODATA : Region.Kind.GUARD;
            return exe ? Region.Kind.EXE_RODATA : Region.Kind.LIBRARY_RODATA;
        }
        if (m.inode() != 0) return Region.Kind.FILE;
        // the exe's .bss past its last file page is an anonymous mapping right after it
        if (exeEnd == m.start() && m.writable()) return Region.Kind.EXE_BSS;
        if (!m.readable() && !m.writable() && !m.executable()) return Region.Kind.GUARD;
        return Region.Kind.ANONYMOUS;
    }

    private static Mapping firstAtOrAbove(List<Mapping> all, long addr, Mapping heap) {
        for (Mapping m : all) if (m != heap && Long.compareUnsigned(m.start(), addr) >= 0) return m;
        return null;
    }

    private static Mapping lastBelow(List<Mapping> all, long addr) {
        Mapping best = null;
        for (Mapping m : all) if (Long.compareUnsigned(m.end(), addr) <= 0) best = m;
        return best;
    }

    /** The user address-space size: 47-bit (or 56-bit with 5-level paging) for 64-bit, 3 or 4 GiB for 32-bit. */
    static long taskSize(ElfClass elfClass, Mapping stack) {
        long top = stack == null ? 0 : stack.end();
        return switch (elfClass) {
            case ELF64 -> Long.compareUnsigned(top, 0x7ffffffff000L) > 0 ? 0xfffffffffff000L : 0x7ffffffff000L;
            case ELF32 -> Long.compareUnsigned(top, 0xc0000000L) > 0 ? 0xffffe000L : 0xc0000000L;
        };
    }

    static long pageUp(long a) {
        return (a + Mapping.PAGE - 1) & ~(Mapping.PAGE - 1);
    }

    public List<Region> regions() { return regions; }
    public Brk brk() { return brk; }
    public Stack stack() { return stack; }
    public long mmapLow() { return mmapLow; }
    public long mmapHigh() { return mmapHigh; }
    public long taskSize() { return taskSize; }

    /** True when the mmap area lies low and grows up (the legacy layout), judged from the addresses. */
    public boolean bottomUp() { return bottomUp; }
}
