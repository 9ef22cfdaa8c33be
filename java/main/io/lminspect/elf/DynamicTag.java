package io.lminspect.elf;

/** The d_tag values lminspect uses, and which ones glibc relocates in place. */
public final class DynamicTag {
    public static final long DT_NULL = 0, DT_NEEDED = 1, DT_PLTRELSZ = 2, DT_PLTGOT = 3, DT_HASH = 4, DT_STRTAB = 5,
            DT_SYMTAB = 6, DT_RELA = 7, DT_RELASZ = 8, DT_RELAENT = 9, DT_STRSZ = 10, DT_SYMENT = 11,
            DT_SONAME = 14, DT_RPATH = 15, DT_REL = 17, DT_RELSZ = 18, DT_RELENT = 19, DT_PLTREL = 20,
            DT_DEBUG = 21, DT_JMPREL = 23, DT_FLAGS = 30, DT_RUNPATH = 29, DT_RELRSZ = 35, DT_RELR = 36,
            DT_RELRENT = 37, DT_GNU_HASH = 0x6ffffef5, DT_VERSYM = 0x6ffffff0, DT_FLAGS_1 = 0x6ffffffb,
            DT_VERDEF = 0x6ffffffc, DT_VERDEFNUM = 0x6ffffffd, DT_VERNEED = 0x6ffffffe, DT_VERNEEDNUM = 0x6fffffff;
    /** A DT_FLAGS_1 bit: ld.so must not search the default directories for this object's dependencies. */
    public static final long DF_1_NODEFLIB = 0x800;

    private DynamicTag() {}

    /**
     * Tags whose d_ptr ld.so adds l_addr to when it relocates .dynamic in place
     * (glibc elf/get-dynamic-info.h, ADJUST_DYN_INFO).
     */
    public static boolean relocatedByGlibc(long tag) {
        return tag == DT_HASH || tag == DT_PLTGOT || tag == DT_STRTAB || tag == DT_SYMTAB || tag == DT_RELA
                || tag == DT_REL || tag == DT_JMPREL || tag == DT_VERSYM || tag == DT_GNU_HASH || tag == DT_RELR;
    }

    public static String name(long tag) {
        if (tag == DT_STRTAB) return "DT_STRTAB";
        if (tag == DT_SYMTAB) return "DT_SYMTAB";
        if (tag == DT_RELA) return "DT_RELA";
        if (tag == DT_REL) return "DT_REL";
        if (tag == DT_JMPREL) return "DT_JMPREL";
        if (tag == DT_PLTGOT) return "DT_PLTGOT";
        if (tag == DT_HASH) return "DT_HASH";
        if (tag == DT_GNU_HASH) return "DT_GNU_HASH";
        if (tag == DT_VERSYM) return "DT_VERSYM";
        if (tag == DT_RELR) return "DT_RELR";
        return "tag " + tag;
    }
}
