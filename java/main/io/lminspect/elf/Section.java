package io.lminspect.elf;

public record Section(String name, int type, long flags, long addr, long offset, long size, int link, int info, long entsize) {
    public static final int SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_DYNAMIC = 6, SHT_NOTE = 7,
            SHT_NOBITS = 8, SHT_REL = 9, SHT_DYNSYM = 11, SHT_GNU_VERDEF = 0x6ffffffd,
            SHT_GNU_VERNEED = 0x6ffffffe, SHT_GNU_VERSYM = 0x6fffffff;
}
