package io.lminspect.inferior;

/** One NT_FILE entry of a core: [start, end) maps path from file offset offset. */
public record FileRange(long start, long end, long offset, String path, boolean deleted) {
    public boolean contains(long addr) {
        return Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end) < 0;
    }
}
