package io.lminspect.elf;

import io.lminspect.util.Bytes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The file's .dynamic array (from PT_DYNAMIC) and the strings it names. */
public final class ElfDynamic {
    /** glibc never has more than a few hundred entries; a bound keeps hostile files cheap. */
    static final int MAX_ENTRIES = 4096;

    private final ElfFile elf;
    private final List<DynamicEntry> entries;
    private final long fileOffset;
    private byte[] strtab;

    ElfDynamic(ElfFile elf) {
        this.elf = elf;
        ProgramHeader pd = elf.firstOfType(ProgramHeader.PT_DYNAMIC);
        if (pd == null || pd.filesz() == 0 || !elf.inFile(pd.offset(), pd.filesz())) {
            entries = List.of();
            fileOffset = -1;
            return;
        }
        fileOffset = pd.offset();
        int ent = 2 * elf.wordSize();
        long n = Math.min(pd.filesz() / ent, MAX_ENTRIES);
        byte[] b = elf.source().readFully(pd.offset(), (int) (n * ent), "dynamic section");
        entries = Collections.unmodifiableList(parse(b, (int) n, elf.wordSize()));
    }

    /** Parses a dynamic array (file bytes or target memory), stopping at DT_NULL. */
    public static List<DynamicEntry> parse(byte[] b, int maxEntries, int wordSize) {
        int ent = 2 * wordSize;
        // sized for the whole array (a library has 30-40 entries): growing it was a tenth of a scan's allocation
        List<DynamicEntry> out = new ArrayList<>(Math.max(0, Math.min(maxEntries, b.length / ent)));
        for (int i = 0; i < maxEntries && (i + 1) * ent <= b.length; i++) {
            long tag = Bytes.word(b, i * ent, wordSize);
            if (wordSize == 4) tag = (int) tag; // d_tag is signed
            long val = Bytes.word(b, i * ent + wordSize, wordSize);
            out.add(new DynamicEntry(tag, val));
            if (tag == DynamicTag.DT_NULL) break;
        }
        return out;
    }

    public List<DynamicEntry> entries() { return entries; }

    /** File offset of the dynamic array, -1 when the file has none. */
    public long fileOffset() { return fileOffset; }

    public boolean present() { return !entries.isEmpty(); }

    /** First value for tag, or -1 when absent. */
    public long get(long tag) {
        for (DynamicEntry e : entries) if (e.tag() == tag) return e.value();
        return -1;
    }

    public boolean has(long tag) {
        for (DynamicEntry e : entries) if (e.tag() == tag) return true;
        return false;
    }

    /** Index of the first entry with this tag, or -1. */
    public int indexOf(long tag) {
        for (int i = 0; i < entries.size(); i++) if (entries.get(i).tag() == tag) return i;
        return -1;
    }

    private synchronized byte[] strtab() {
        if (strtab == null) {
            long addr = get(DynamicTag.DT_STRTAB);
            long size = get(DynamicTag.DT_STRSZ);
            byte[] b = null;
            if (addr >= 0 && size > 0) b = elf.readVaddr(addr, Math.min(size, ElfFile.MAX_TABLE_BYTES), ".dynstr");
            strtab = b == null ? new byte[0] : b;
        }
        return strtab;
    }

    public String string(long off) {
        return ElfFile.cString(strtab(), off);
    }

    public String soname() {
        long v = get(DynamicTag.DT_SONAME);
        return v < 0 ? null : string(v);
    }

    public List<String> needed() {
        List<String> out = new ArrayList<>();
        for (DynamicEntry e : entries) if (e.tag() == DynamicTag.DT_NEEDED) out.add(string(e.value()));
        return out;
    }

    public String rpath() {
        long v = get(DynamicTag.DT_RPATH);
        return v < 0 ? null : string(v);
    }

    public String runpath() {
        long v = get(DynamicTag.DT_RUNPATH);
        return v < 0 ? null : string(v);
    }
}
