package io.lminspect.elf;

import io.lminspect.util.Bytes;

/** The fields of an ELF header lminspect uses, read at the offsets of its class. */
public record ElfHeader(ElfClass elfClass, int type, int machine, long entry, long phoff, long shoff,
                        int phentsize, int phnum, int shentsize, int shnum, int shstrndx) {

    /** h holds at least elfClass.ehdrSize() bytes. */
    public static ElfHeader parse(byte[] h, ElfClass c) {
        int w = c.wordSize();
        // e_entry, e_phoff and e_shoff are words after e_version; then e_flags, then 16-bit fields from e_ehsize on
        int halves = 24 + 3 * w + 4;
        return new ElfHeader(c, Bytes.u16(h, 16), Bytes.u16(h, 18), Bytes.word(h, 24, w), Bytes.word(h, 24 + w, w),
                Bytes.word(h, 24 + 2 * w, w), Bytes.u16(h, halves + 2), Bytes.u16(h, halves + 4), Bytes.u16(h, halves + 6),
                Bytes.u16(h, halves + 8), Bytes.u16(h, halves + 10));
    }
}
