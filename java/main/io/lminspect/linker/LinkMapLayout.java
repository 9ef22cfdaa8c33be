package io.lminspect.linker;

import io.lminspect.elf.DynamicTag;

/**
 * Where the fields of the loader's per-object struct sit. glibc's link_map and
 * musl's struct dso share the five public words; only glibc has l_info[]
 * (offsets stable from glibc 2.5 to 2.36: l_info at 8 words). The offset is
 * verified per entry: l_info[DT_STRTAB] must point into the object's dynamic
 * array at an entry tagged DT_STRTAB.
 */
public record LinkMapLayout(String libc, int wordSize, int lInfoOffset) {

    public static LinkMapLayout glibc(int wordSize) {
        return new LinkMapLayout("glibc", wordSize, 8 * wordSize);
    }

    public static LinkMapLayout musl(int wordSize) {
        return new LinkMapLayout("musl", wordSize, -1);
    }

    public int lAddr() { return 0; }
    public int lName() { return wordSize; }
    public int lLd() { return 2 * wordSize; }
    public int lNext() { return 3 * wordSize; }
    public int lPrev() { return 4 * wordSize; }

    public boolean hasLInfo() { return lInfoOffset >= 0; }

    /** Offset of l_info[tag], for a tag below DT_NUM (l_info is indexed by d_tag). */
    public int lInfo(long tag) { return lInfoOffset + (int) tag * wordSize; }

    /** Bytes of the struct one walk step reads: up to l_info[DT_SONAME] for glibc, the public words for musl. */
    public int entryBytes() {
        return hasLInfo() ? lInfo(DynamicTag.DT_SONAME) + wordSize : 5 * wordSize;
    }

    /** Size of one dynamic entry. */
    public int dynEntry() { return 2 * wordSize; }
}
