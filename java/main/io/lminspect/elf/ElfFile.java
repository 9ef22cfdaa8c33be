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
    private final ElfClass elfClass;
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
        if (!hasMagic(id))
            throw new ElfFormatException(src.name() + ": not an ELF file (bad magic)");
        elfClass = ElfClass.ofIdent(id[4]);
        if (elfClass == null) throw new ElfFormatException(src.name() + ": unknown ELF class " + id[4]);
        if (id[5] != 1) throw new ElfFormatException(src.name() + ": big-endian ELF is not supported");
        ElfHeader h = ElfHeader.parse(src.readFully(0, elfClass.ehdrSize(), "ELF header"), elfClass);
        type = h.type();
        machine = h.machine();
        entry = h.entry();
        phoff = h.phoff();
        shoff = h.shoff();
        phentsize = h.phentsize();
        shentsize = h.shentsize();
        shnum = h.shnum();
        shstrndx = h.shstrndx();
        int phnum = h.phnum();
        if (phnum > 0 && phentsize != elfClass.phdrSize())
            throw new ElfFormatException(src.name() + ": program header entry size " + phentsize + " is not " + elfClass.phdrSize());
        phdrs = phnum == 0 ? List.of() : parseProgramHeaders(src.readFully(phoff, phnum * phentsize, "program headers"), phnum);
    }

    public static ElfFile parse(ByteSource src) {
        return new ElfFile(src);
    }

    /** True when b starts with ELFMAG ("\x7fELF"). */
    public static boolean hasMagic(byte[] b) {
        return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    /** Parses program headers held in memory (e.g. read at AT_PHDR); entries smaller than the class's size are refused. */
    public static List<ProgramHeader> parseProgramHeaders(byte[] b, int count, ElfClass c, int entSize) {
        if (entSize < c.phdrSize() || count < 0) return List.of();
        List<ProgramHeader> out = new ArrayList<>(Math.min(count, b.length / entSize));
        for (int i = 0; i < count && (i + 1) * entSize <= b.length; i++) out.add(programHeaderAt(b, i * entSize, c));
        return out;
    }

    private List<ProgramHeader> parseProgramHeaders(byte[] b, int count) {
        return Collections.unmodifiableList(parseProgramHeaders(b, count, elfClass, phentsize));
    }

    /** Elf64_Phdr puts p_flags second (for alignment), Elf32_Phdr puts it after p_memsz. */
    static ProgramHeader programHeaderAt(byte[] b, int o, ElfClass c) {
        return switch (c) {
            case ELF64 -> new ProgramHeader((int) Bytes.u32(b, o), (int) Bytes.u32(b, o + 4), Bytes.u64(b, o + 8), Bytes.u64(b, o + 16),
                    Bytes.u64(b, o + 32), Bytes.u64(b, o + 40), Bytes.u64(b, o + 48));
            case ELF32 -> new ProgramHeader((int) Bytes.u32(b, o), (int) Bytes.u32(b, o + 24), Bytes.u32(b, o + 4), Bytes.u32(b, o + 8),
                    Bytes.u32(b, o + 16), Bytes.u32(b, o + 20), Bytes.u32(b, o + 28));
        };
    }

    public ByteSource source() { return src; }
    public ElfClass elfClass() { return elfClass; }
    public int wordSize() { return elfClass.wordSize(); }
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
        if (shentsize != elfClass.shdrSize())
            throw new ElfFormatException(src.name() + ": section header entry size " + shentsize + " is not " + elfClass.shdrSize());
        byte[] b = src.readFully(shoff, shnum * shentsize, "section headers");
        List<Section> raw = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) raw.add(Section.at(b, i * shentsize, elfClass));
        byte[] names = null;
        if (shstrndx < raw.size()) {
            Section s = raw.get(shstrndx);
            if (s.type() == Section.SHT_STRTAB && s.size() <= MAX_TABLE_BYTES && inFile(s.offset(), s.size()))
                names = src.readFully(s.offset(), (int) s.size(), "section name table");
        }
        List<Section> out = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++)
            out.add(raw.get(i).withName(names == null ? "" : cString(names, Bytes.u32(b, i * shentsize))));
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
