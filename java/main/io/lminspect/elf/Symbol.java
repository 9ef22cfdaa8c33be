package io.lminspect.elf;

public record Symbol(String name, long value, long size, int info, int other, int shndx, int index) {
    public static final int STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2, STB_GNU_UNIQUE = 10;
    public static final int STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2, STT_COMMON = 5, STT_TLS = 6, STT_GNU_IFUNC = 10;
    public static final int SHN_UNDEF = 0, SHN_ABS = 0xfff1;

    public int binding() { return info >> 4; }
    public int type() { return info & 0xf; }
    public boolean defined() { return shndx != SHN_UNDEF; }
}
