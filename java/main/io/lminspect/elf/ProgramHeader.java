package io.lminspect.elf;

/** One program header. A PT_LOAD of a file is a "segment"; its runtime counterpart is a Mapping. */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
    public static final int PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_PHDR = 6,
            PT_GNU_RELRO = 0x6474e552;
    public static final int PF_X = 1, PF_W = 2, PF_R = 4;

    public boolean containsVaddr(long v) {
        return Long.compareUnsigned(v, vaddr) >= 0 && Long.compareUnsigned(v, vaddr + memsz) < 0;
    }
}
