package io.lminspect.elf;

import io.lminspect.util.Bytes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A bounds-checked ELF reader over a ByteSource. Every offset, size and count
 * taken from the input is checked against the source before use, and no
 * allocation is sized by the input beyond what the source actually holds.
 * Little-endian only (x86-64 and i386 are lminspect's targets).
 */
public final class ElfFile {
    public static final int EM_386 = 3, EM_X86_64 = 62;
    public static final int ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4;
    /** Upper bound for any single table read from an ELF (symbols, relocations…). */
    static final int MAX_TABLE_BYTES = 256 << 20;
    static final int MAX_STRING = 4096;

    private final ByteSource src;
    private final int wordSize;
    private final int type;
    private final int machine;
    private final long entry;
    private final List<ProgramHeader> phdrs;
    private final long phoff;
    private final int phentsize;
    private List<Section> sections;
    private final long shoff;
    private final int shnum;
    private final int shentsize;
    private final int shstrndx;
    private ElfDynamic dynamic;
    /** Derived tables computed once per parsed file (shared across the processes of a host scan). */
    private final java.util.concurrent.ConcurrentHashMap<String, Object> derived = new java.util.concurrent.ConcurrentHashMap<>();

    private ElfFile(ByteSource src) {
        this.src = src;
        byte[] id = src.readFully(0, 16, "ELF identification");
        if (id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
            throw new ElfFormatException(src.name() + ": not an ELF file (bad magic)");
        if (id[4] != 1 && id[4] != 2) throw new ElfFormatException(src.name() + ": unknown ELF class " + id[4]);
        if (id[5] != 1) throw new ElfFormatException(src.name() + ": big-endian ELF is not supported");
        wordSize = id[4] == 2 ? 8 : 4;
        byte[] h = src.readFully(0, wordSize == 8 ? 64 : 52, "ELF header");
        type = Bytes.u16(h, 16);
        machine = Bytes.u16(h, 18);
        if (wordSize == 8) {
            entry = Bytes.u64(h, 24);
            phoff = Bytes.u64(h, 32);
            shoff = Bytes.u64(h, 40);
            phentsize = Bytes.u16(h, 54);
            shentsize = Bytes.u16(h, 58);
            shnum = Bytes.u16(h, 60);
            shstrndx = Bytes.u16(h, 62);
        } else {
            entry = Bytes.u32(h, 24);
            phoff = Bytes.u32(h, 28);
            shoff = Bytes.u32(h, 32);
            phentsize = Bytes.u16(h, 42);
            shentsize = Bytes.u16(h, 46);
            shnum = Bytes.u16(h, 48);
            shstrndx = Bytes.u16(h, 50);
        }
        int phnum = Bytes.u16(h, wordSize == 8 ? 56 : 44);
        if (phnum > 0 && phentsize != phdrSize(wordSize))
            throw new ElfFormatException(src.name() + ": program header entry size " + phentsize + " is not " + phdrSize(wordSize));
        phdrs = phnum == 0 ? List.of() : parseProgramHeaders(src.readFully(phoff, phnum * phentsize, "program headers"), phnum);
    }

    public static ElfFile parse(ByteSource src) {
        return new ElfFile(src);
    }

    /** Size of one program header of an ELF class: 56 (ELF64) or 32 (ELF32). */
    public static int phdrSize(int wordSize) {
        return wordSize == 8 ? 56 : 32;
    }

    /** Parses program headers held in memory (e.g. read at AT_PHDR); entries smaller than the class's size are refused. */
    public static List<ProgramHeader> parseProgramHeaders(byte[] b, int count, int wordSize, int entSize) {
        if (entSize < phdrSize(wordSize) || count < 0) return List.of();
        List<ProgramHeader> out = new ArrayList<>(Math.min(count, b.length / entSize));
        for (int i = 0; i < count && (i + 1) * entSize <= b.length; i++) out.add(programHeaderAt(b, i * entSize, wordSize));
        return out;
    }

    private List<ProgramHeader> parseProgramHeaders(byte[] b, int count) {
        return Collections.unmodifiableList(parseProgramHeaders(b, count, wordSize, phentsize));
    }

    static ProgramHeader programHeaderAt(byte[] b, int o, int wordSize) {
        if (wordSize == 8)
            return new ProgramHeader((int) Bytes.u32(b, o), (int) Bytes.u32(b, o + 4), Bytes.u64(b, o + 8), Bytes.u64(b, o + 16),
                    Bytes.u64(b, o + 32), Bytes.u64(b, o + 40), Bytes.u64(b, o + 48));
        return new ProgramHeader((int) Bytes.u32(b, o), (int) Bytes.u32(b, o + 24), Bytes.u32(b, o + 4), Bytes.u32(b, o + 8),
                Bytes.u32(b, o + 16), Bytes.u32(b, o + 20), Bytes.u32(b, o + 28));
    }

    public ByteSource source() { return src; }
    public int wordSize() { return wordSize; }
    public int type() { return type; }
    public int machine() { return machine; }
    public long entry() { return entry; }
    public List<ProgramHeader> programHeaders() { return phdrs; }

    public ProgramHeader firstOfType(int ptype) {
        for (ProgramHeader p : phdrs) if (p.type() == ptype) return p;
        return null;
    }

    /** The lowest PT_LOAD vaddr (load bias = runtime address of that segment − this). */
    public long firstLoadVaddr() {
        for (ProgramHeader p : phdrs) if (p.type() == ProgramHeader.PT_LOAD) return p.vaddr() & ~0xfffL;
        return 0;
    }

    /** File offset holding the byte at link-time address vaddr, or -1 (bss, or outside every PT_LOAD). */
    public long vaddrToOffset(long vaddr) {
        for (ProgramHeader p : phdrs) {
            if (p.type() != ProgramHeader.PT_LOAD) continue;
            if (Long.compareUnsigned(vaddr, p.vaddr()) >= 0 && Long.compareUnsigned(vaddr, p.vaddr() + p.filesz()) < 0) {
                long off = p.offset() + (vaddr - p.vaddr());
                return off >= 0 && off < src.size() ? off : -1;
            }
        }
        return -1;
    }

    /** The PT_LOAD holding vaddr in memory, or null. */
    public ProgramHeader loadSegmentFor(long vaddr) {
        for (ProgramHeader p : phdrs) if (p.type() == ProgramHeader.PT_LOAD && p.containsVaddr(vaddr)) return p;
        return null;
    }

    /** Section headers (empty when the file has none, e.g. an image read from memory). */
    public synchronized List<Section> sections() {
        if (sections == null) sections = parseSections();
        return sections;
    }

    private List<Section> parseSections() {
        if (shnum == 0 || shoff == 0) return List.of();
        int minSh = wordSize == 8 ? 64 : 40;
        if (shentsize != minSh) throw new ElfFormatException(src.name() + ": section header entry size " + shentsize + " is not " + minSh);
        byte[] b = src.readFully(shoff, shnum * shentsize, "section headers");
        List<long[]> raw = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            int o = i * shentsize;
            if (wordSize == 8)
                raw.add(new long[]{Bytes.u32(b, o), Bytes.u32(b, o + 4), Bytes.u64(b, o + 8), Bytes.u64(b, o + 16),
                        Bytes.u64(b, o + 24), Bytes.u64(b, o + 32), Bytes.u32(b, o + 40), Bytes.u32(b, o + 44), Bytes.u64(b, o + 56)});
            else
                raw.add(new long[]{Bytes.u32(b, o), Bytes.u32(b, o + 4), Bytes.u32(b, o + 8), Bytes.u32(b, o + 12),
                        Bytes.u32(b, o + 16), Bytes.u32(b, o + 20), Bytes.u32(b, o + 24), Bytes.u32(b, o + 28), Bytes.u32(b, o + 36)});
        }
        byte[] names = null;
        if (shstrndx < raw.size()) {
            long[] s = raw.get(shstrndx);
            if (s[1] == Section.SHT_STRTAB && s[5] <= MAX_TABLE_BYTES && inFile(s[4], s[5]))
                names = src.readFully(s[4], (int) s[5], "section name table");
        }
        List<Section> out = new ArrayList<>(shnum);
        for (long[] s : raw) {
            String name = names == null ? "" : cString(names, s[0]);
            out.add(new Section(name, (int) s[1], s[2], s[3], s[4], s[5], (int) s[6], (int) s[7], s[8]));
        }
        return Collections.unmodifiableList(out);
    }

    public Section section(String name) {
        for (Section s : sections()) if (s.name().equals(name)) return s;
        return null;
    }

    /** The contents of a section, or null for NOBITS or a section that lies outside the file. */
    public byte[] sectionBytes(Section s) {
        if (s.type() == Section.SHT_NOBITS || !inFile(s.offset(), s.size()) || s.size() > MAX_TABLE_BYTES) return null;
        return src.readFully(s.offset(), (int) s.size(), "section " + s.name());
    }

    /** A table derived from this file, computed once (e.g. its dynamic symbols, its relocation plan). */
    @SuppressWarnings("unchecked")
    public <T> T derived(String key, java.util.function.Function<ElfFile, T> compute) {
        Object v = derived.get(key);
        if (v == null) {
            v = compute.apply(this);
            Object prev = derived.putIfAbsent(key, v);
            if (prev != null) v = prev;
        }
        return (T) v;
    }

    public synchronized ElfDynamic dynamic() {
        if (dynamic == null) dynamic = new ElfDynamic(this);
        return dynamic;
    }

    boolean inFile(long off, long len) {
        return off >= 0 && len >= 0 && off + len >= 0 && off + len <= src.size();
    }

    /** Reads bytes at a link-time address range that the file holds, or null. */
    public byte[] readVaddr(long vaddr, long len, String what) {
        long off = vaddrToOffset(vaddr);
        if (off < 0 || len < 0 || len > MAX_TABLE_BYTES || !inFile(off, len)) return null;
        return src.readFully(off, (int) len, what);
    }

    static String cString(byte[] table, long off) {
        if (off < 0 || off >= table.length) return "";
        int o = (int) off;
        int max = Math.min(table.length - o, MAX_STRING);
        int n = Bytes.indexOfNul(table, o, max);
        return new String(table, o, n < 0 ? max : n, StandardCharsets.ISO_8859_1);
    }
}
