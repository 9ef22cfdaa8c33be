package io.lminspect.inferior;

import io.lminspect.elf.ByteSource;

import java.util.List;

/** A range of target memory as a ByteSource: the vDSO, or an ELF image no file backs. */
public final class MemoryByteSource implements ByteSource {
    private final Memory mem;
    private final long base;
    private final long size;
    private final String name;

    public MemoryByteSource(Memory mem, long base, long size, String name) {
        this.mem = mem;
        this.base = base;
        this.size = size;
        this.name = name;
    }

    @Override public long size() { return size; }
    @Override public String name() { return name; }

    @Override
    public int read(long off, byte[] dst, int dstOff, int len) {
        if (off < 0 || off >= size) return 0;
        int n = (int) Math.min(len, size - off);
        ReadRequest r = new ReadRequest(base + off, n);
        mem.readChecked(List.of(r));
        if (r.got <= 0) return 0;
        System.arraycopy(r.data, 0, dst, dstOff, r.got);
        return r.got;
    }
}
