package io.lminspect.elf;

import io.lminspect.util.Bytes;

public record Section(String name, int type, long flags, long addr, long offset, long size, int link, int info, long entsize) {
    public static final int SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_DYNAMIC = 6, SHT_NOTE = 7,
            SHT_NOBITS = 8, SHT_REL = 9, SHT_DYNSYM = 11, SHT_GNU_VERDEF = 0x6ffffffd,
            SHT_GNU_VERNEED = 0x6ffffffe, SHT_GNU_VERSYM = 0x6fffffff;

    /** The section header at offset o of a table, its name not yet looked up (""). */
    public static Section at(byte[] b, int o, ElfClass c) {
        int w = c.wordSize();
        // sh_name, sh_type (u32); sh_flags, sh_addr, sh_offset, sh_size (words); sh_link, sh_info (u32); sh_addralign, sh_entsize (words)
        return new Section("", (int) Bytes.u32(b, o + 4), Bytes.word(b, o + 8, w), Bytes.word(b, o + 8 + w, w),
                Bytes.word(b, o + 8 + 2 * w, w), Bytes.word(b, o + 8 + 3 * w, w), (int) Bytes.u32(b, o + 8 + 4 * w),
                (int) Bytes.u32(b, o + 12 + 4 * w), Bytes.word(b, o + 16 + 5 * w, w));
    }

    public Section withName(String n) {
        return new Section(n, type, flags, addr, offset, size, link, info, entsize);
    }
}
