package io.lminspect.inferior;

import io.lminspect.elf.ByteSource;
import io.lminspect.elf.ElfClass;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.elf.ElfHeader;
import io.lminspect.elf.ElfNotes;
import io.lminspect.elf.FileByteSource;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.elf.Section;
import io.lminspect.util.Failure;
import io.lminspect.util.Hex;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A core file (from the kernel or gcore) behind the same Target interface as a
 * live process: memory from its PT_LOAD segments and, for what it did not
 * dump, from the files NT_FILE names; auxv from NT_AUXV; threads from
 * NT_PRSTATUS; identity from NT_PRPSINFO. Every offset, size and count the
 * core states is checked before use (a lie is exit 3, never a hang).
 */
public final class CoreFile implements Target {
    /** Largest total of notes accepted, across all PT_NOTE segments: a core of 10,000 threads needs ~40 MiB. */
    static final long MAX_NOTES = 64L << 20;
    static final int PN_XNUM = 0xffff;

    private final Path path;
    private final FileChannel channel;
    private final ElfClass elfClass;
    private final int machine;
    private final CoreNotes notes;
    private final Auxv auxv;
    private Mappings mappings;
    private final String exePath;
    private final ProcessIdentity identity;
    private final CoreMappedFiles files;
    private CoreMemory memory;
    private List<FileRange> fileRanges;
    private final List<ProgramHeader> loads;
    /** NT_FILE was absent: the file ranges were placed from --exe and the link_map instead. */
    private final boolean placedFiles;

    private CoreFile(Path path, FileChannel channel, Path sysroot, Path exeOverride) {
        this.path = path;
        this.channel = channel;
        String name = SafeText.clean(path.toString());
        FileByteSource src = new FileByteSource(channel, name);
        refuseForeign(src, name);
        ElfFile elf;
        try {
            elf = ElfFile.parse(src);
        } catch (ElfFormatException e) {
            throw new InspectException(Failure.NOT_A_CORE, name, stripName(e.getMessage(), name)).because(e);
        }
        if (elf.type() != ElfFile.ET_CORE)
            throw new InspectException(Failure.NOT_A_CORE, name, "it is an ELF " + typeName(elf.type()));
        if (elf.machine() != ElfFile.EM_X86_64 && elf.machine() != ElfFile.EM_386)
            throw new InspectException(Failure.UNSUPPORTED_TARGET, name, "a core of " + io.lminspect.elf.Machines.name(elf.machine()));
        elfClass = elf.elfClass();
        machine = elf.machine();
        List<ProgramHeader> phdrs;
        List<ProgramHeader> loads;
        try {
            phdrs = programHeaders(elf, src, name);
            loads = checkedLoads(phdrs, src.size(), name);
            notes = CoreNotes.parse(readNotes(phdrs, src, name), elfClass, name);
        } catch (ElfFormatException e) {
            throw new InspectException(Failure.CORRUPT_CORE, name, stripName(e.getMessage(), name)).because(e);
        }
        // every process core has both; without them a note was cut short or lied about its size
        if (notes.threads.isEmpty() || notes.auxv.length == 0)
            throw new InspectException(Failure.CORRUPT_CORE, name, "no " + (notes.threads.isEmpty() ? "NT_PRSTATUS" : "NT_AUXV")
                    + " note: its notes are damaged or incomplete");
        auxv = Auxv.parse(notes.auxv, elfClass.wordSize());
        this.loads = loads;
        placedFiles = notes.files.isEmpty();
        List<FileRange> ranges = notes.files;
        if (placedFiles && exeOverride != null) ranges = exeRanges(exeOverride.toAbsolutePath().normalize(), auxv, elfClass);
        fileRanges = sortedFiles(ranges, name);
        exePath = exePath(fileRanges, auxv);
        files = new CoreMappedFiles(sysroot == null ? null : sysroot.toAbsolutePath().normalize(), exePath, exeOverride);
        rebuildMemory();
        int pid = notes.pid > 0 ? notes.pid : notes.threads.isEmpty() ? -1 : notes.threads.get(0).state().tid();
        identity = new ProcessIdentity(pid, exePath, notes.comm, notes.uid, 0, 0, pid);
    }

    /**
     * Opens a core. sysroot: where the files it names live now (null: /); exeOverride:
     * the executable when it moved since the core was written (null: NT_FILE's path).
     */
    public static CoreFile open(Path core, Path sysroot, Path exeOverride) {
        String name = SafeText.clean(core.toString());
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(core, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InspectException(Failure.NO_SUCH_FILE, name);
        } catch (IOException e) {
            throw new InspectException(Failure.IO_ERROR, "read " + name, e.getClass().getSimpleName()).because(e);
        }
        if (a.isDirectory()) throw new InspectException(Failure.IS_A_DIRECTORY, name);
        if (!a.isRegularFile()) throw new InspectException(Failure.NOT_A_REGULAR_FILE, name);
        if (sysroot != null && !Files.isDirectory(sysroot))
            throw new InspectException(Failure.NOT_A_DIRECTORY, "--sysroot " + SafeText.clean(sysroot.toString()));
        if (exeOverride != null && !Files.isRegularFile(exeOverride))
            throw new InspectException(Failure.NOT_A_REGULAR_FILE, "--exe " + SafeText.clean(exeOverride.toString()));
        FileChannel ch;
        try {
            ch = FileChannel.open(core, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new InspectException(Failure.IO_ERROR, "open " + name, e.getClass().getSimpleName()).because(e);
        }
        try {
            return new CoreFile(core, ch, sysroot, exeOverride);
        } catch (RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only
            }
            throw e;
        }
    }

    /**
     * A core of another architecture, byte order or ABI (x32) is refused in one line naming it,
     * before the parser would call it "not a core file" or read it as i386.
     */
    private static void refuseForeign(FileByteSource src, String name) {
        if (src.size() < 20) return; // too short: the parser says what is wrong
        byte[] h = src.readFully(0, 20, "ELF identification");
        if (!ElfFile.hasMagic(h)) return;
        int little = (h[18] & 0xff) | (h[19] & 0xff) << 8, big = (h[18] & 0xff) << 8 | (h[19] & 0xff);
        int type = h[5] == 2 ? (h[16] & 0xff) << 8 | (h[17] & 0xff) : (h[16] & 0xff) | (h[17] & 0xff) << 8;
        String why = io.lminspect.elf.Machines.unsupported(h, little, big);
        if (why == null) return;
        throw new InspectException(Failure.UNSUPPORTED_TARGET, name, (type == ElfFile.ET_CORE ? "a core of " : "an ELF file for ") + why);
    }

    private static String stripName(String msg, String name) {
        return msg != null && msg.startsWith(name + ": ") ? msg.substring(name.length() + 2) : msg;
    }

    private static String typeName(int type) {
        return switch (type) {
            case ElfFile.ET_EXEC -> "executable";
            case ElfFile.ET_DYN -> "shared object or PIE executable";
            case 1 -> "relocatable object";
            default -> "file of type " + type;
        };
    }

    /** The program headers; with PN_XNUM (more than 65534 segments) the count is in section header 0's sh_info. */
    private static List<ProgramHeader> programHeaders(ElfFile elf, ByteSource src, String name) {
        if (elf.programHeaders().size() != PN_XNUM) return elf.programHeaders();
        ElfClass c = elf.elfClass();
        ElfHeader h = ElfHeader.parse(src.readFully(0, c.ehdrSize(), "ELF header"), c);
        int phent = h.phentsize();
        Section sh0 = Section.at(src.readFully(h.shoff(), c.shdrSize(), "section header 0 (PN_XNUM)"), 0, c);
        long count = Integer.toUnsignedLong(sh0.info());
        if (count * phent > src.size()) throw new InspectException(Failure.CORRUPT_CORE, name, count + " program headers do not fit in the file");
        return ElfFile.parseProgramHeaders(src.readFully(h.phoff(), (int) (count * phent), "program headers"), (int) count, c, phent);
    }

    /** PT_LOADs sorted, each checked: dumped bytes inside the file, no overlap, no wrap-around. */
    private static List<ProgramHeader> checkedLoads(List<ProgramHeader> phdrs, long coreSize, String name) {
        List<ProgramHeader> loads = new ArrayList<>();
        for (ProgramHeader p : phdrs) {
            if (p.type() != ProgramHeader.PT_LOAD || p.memsz() == 0) continue;
            if (Long.compareUnsigned(p.filesz(), p.memsz()) > 0 || Long.compareUnsigned(p.vaddr() + p.memsz(), p.vaddr()) < 0 && p.vaddr() + p.memsz() != 0)
                throw new InspectException(Failure.CORRUPT_CORE, name, "segment at " + Hex.of(p.vaddr()) + " has file size " + Hex.of(p.filesz())
                        + " and memory size " + Hex.of(p.memsz()));
            if (p.filesz() > 0 && (p.offset() < 0 || p.filesz() < 0 || p.offset() + p.filesz() < 0 || p.offset() + p.filesz() > coreSize))
                throw new InspectException(Failure.TRUNCATED, name, "the segment at " + Hex.of(p.vaddr()) + " needs bytes up to offset "
                        + Long.toUnsignedString(p.offset() + p.filesz()) + " but the file has " + coreSize);
            loads.add(p);
        }
        loads.sort((x, y) -> Long.compareUnsigned(x.vaddr(), y.vaddr()));
        for (int i = 1; i < loads.size(); i++) {
            ProgramHeader prev = loads.get(i - 1);
            if (Long.compareUnsigned(prev.vaddr() + prev.memsz(), loads.get(i).vaddr()) > 0 && prev.vaddr() + prev.memsz() != 0)
                throw new InspectException(Failure.CORRUPT_CORE, name, "segments at " + Hex.of(prev.vaddr()) + " and " + Hex.of(loads.get(i).vaddr()) + " overlap");
        }
        return Collections.unmodifiableList(loads);
    }

    private static List<ElfNotes.Note> readNotes(List<ProgramHeader> phdrs, ByteSource src, String name) {
        List<ElfNotes.Note> out = new ArrayList<>();
        long total = 0;
        for (ProgramHeader p : phdrs) {
            if (p.type() != ProgramHeader.PT_NOTE || p.filesz() == 0) continue;
            if (p.filesz() < 0 || p.filesz() > MAX_NOTES)
                throw new InspectException(Failure.CORRUPT_CORE, name, "a notes segment of " + Long.toUnsignedString(p.filesz()) + " bytes");
            total += p.filesz();
            if (total > MAX_NOTES) // the budget is for all segments together: five of 256 MiB each would not fit in memory
                throw new InspectException(Failure.CORRUPT_CORE, name, "notes segments of more than " + (MAX_NOTES >> 20) + " MiB in all");
            if (p.offset() < 0 || p.offset() + p.filesz() > src.size())
                throw new InspectException(Failure.TRUNCATED, name, "its notes lie at offset " + Long.toUnsignedString(p.offset())
                        + " (+" + p.filesz() + ") but the file has " + src.size() + " bytes");
            out.addAll(ElfNotes.parse(src.readFully(p.offset(), (int) p.filesz(), "notes")));
        }
        return out;
    }

    private static List<FileRange> sortedFiles(List<FileRange> files, String name) {
        List<FileRange> l = new ArrayList<>(files);
        l.sort((x, y) -> Long.compareUnsigned(x.start(), y.start()));
        for (int i = 1; i < l.size(); i++)
            if (Long.compareUnsigned(l.get(i - 1).end(), l.get(i).start()) > 0)
                throw new InspectException(Failure.CORRUPT_CORE, name, "NT_FILE ranges " + Hex.of(l.get(i - 1).start()) + " and "
                        + Hex.of(l.get(i).start()) + " overlap");
        return Collections.unmodifiableList(l);
    }

    private void rebuildMemory() {
        memory = new CoreMemory(loads, fileRanges, channel, files);
        files.coreBuildIds(buildIdsInCore());
        mappings = new Mappings(CoreMappingsBuilder.build(loads, fileRanges, auxv, files));
    }

    /** True when the core had no NT_FILE note (older kernels, some dumpers): file ranges come from --exe and the link_map. */
    public boolean placedFiles() {
        return placedFiles;
    }

    /**
     * The executable's file ranges for a core without NT_FILE: its PT_LOADs placed at the load
     * bias that AT_ENTRY gives (the same for ET_EXEC, where it is 0, and for PIE).
     */
    private static List<FileRange> exeRanges(Path exe, Auxv auxv, ElfClass cls) {
        try (FileChannel ch = SafeFiles.openRegular(exe, -1, -1, true)) {
            if (ch == null) return List.of();
            ElfFile f = ElfFile.parse(new FileByteSource(ch, exe.toString()));
            if (f.elfClass() != cls || !auxv.has(Auxv.AT_ENTRY)) return List.of();
            return placed(f, auxv.get(Auxv.AT_ENTRY) - f.entry(), exe.toString());
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** An object's PT_LOADs as the ranges ld.so or the kernel mapped them, page-aligned as mmap does. */
    private static List<FileRange> placed(ElfFile f, long bias, String path) {
        List<FileRange> out = new ArrayList<>();
        for (ProgramHeader p : f.programHeaders()) {
            if (p.type() != ProgramHeader.PT_LOAD || p.filesz() <= 0) continue;
            long start = (bias + p.vaddr()) & ~(Mapping.PAGE - 1);
            long end = (bias + p.vaddr() + p.filesz() + Mapping.PAGE - 1) & ~(Mapping.PAGE - 1);
            out.add(new FileRange(start, end, p.offset() & ~(Mapping.PAGE - 1), path, false));
        }
        return out;
    }

    /**
     * For a core without NT_FILE: the objects the link_map names, each (l_name, l_addr), become
     * file ranges placed by their own program headers (files under --sysroot when given). Ranges
     * that would overlap what is already placed are left out. Returns how many objects were placed.
     */
    public int placeObjectFiles(List<Map.Entry<String, Long>> objects) {
        if (!placedFiles) return 0;
        List<FileRange> ranges = new ArrayList<>(fileRanges);
        int placedCount = 0;
        for (Map.Entry<String, Long> o : objects) {
            String path = o.getKey();
            if (path == null || !path.startsWith("/") || path.equals(exePath)) continue;
            Optional<ByteSource> src = files.open(path, false);
            if (src.isEmpty()) continue;
            try (ByteSource s = src.get()) {
                List<FileRange> mine = placed(ElfFile.parse(s), o.getValue(), path);
                if (mine.stream().anyMatch(r -> overlaps(r, ranges))) continue;
                ranges.addAll(mine);
                placedCount++;
            } catch (RuntimeException e) {
                // not an ELF file we can place: its memory stays unavailable
            }
        }
        fileRanges = sortedFiles(ranges, SafeText.clean(path.toString()));
        rebuildMemory();
        return placedCount;
    }

    private static boolean overlaps(FileRange r, List<FileRange> all) {
        for (FileRange x : all)
            if (Long.compareUnsigned(r.start(), x.end()) < 0 && Long.compareUnsigned(x.start(), r.end()) < 0) return true;
        return false;
    }

    /** The executable: the file mapped at AT_PHDR (its program headers), else at AT_ENTRY. */
    private static String exePath(List<FileRange> files, Auxv auxv) {
        for (int type : new int[]{Auxv.AT_PHDR, Auxv.AT_ENTRY}) {
            long a = auxv.get(type);
            if (a == 0) continue;
            for (FileRange f : files) if (f.contains(a)) return f.path();
        }
        return null;
    }

    public Path path() { return path; }

    @Override
    public RegisterSnapshot registers() {
        return RegisterSnapshot.ofCore(notes.threads);
    }

    /** Threads in note order: the first is the one that took the signal (kernel cores). */
    public List<CoreThread> threads() {
        return Collections.unmodifiableList(notes.threads);
    }

    /** The signal being delivered: NT_SIGINFO when the first thread had one pending, else none (gcore). */
    public SignalInfo signal() {
        int cursig = notes.threads.isEmpty() ? 0 : notes.threads.get(0).cursig();
        if (cursig == 0) return SignalInfo.NONE; // gcore: its NT_SIGINFO holds the SIGSTOP of its own attach
        if (notes.hasSiginfo && notes.signal.signo() == cursig) return notes.signal;
        return new SignalInfo(cursig, 0, 0, 0, false);
    }

    /** The executable's path as NT_FILE names it (null when no file holds AT_PHDR). */
    public String exePath() { return exePath; }

    /** NT_FILE's entries, sorted by address. */
    public List<FileRange> fileRanges() {
        return fileRanges;
    }

    /** Paths named by the core that were not opened, and why (for the report's notes). */
    public Map<String, String> refusedFiles() {
        return new HashMap<>(files.refused);
    }

    /** Bytes the core itself holds at addr (no file fallback), or null when any is missing. */
    public byte[] readDumped(long addr, int len) {
        byte[] b = new byte[len];
        return memory.read(addr, b, 0, len, true) == len ? b : null;
    }

    static final int MAX_PHNUM = 256, MAX_NOTE = 4096;

    /** The build-id of every file whose ELF header page the core dumped, by path. */
    private Map<String, String> buildIdsInCore() {
        Map<String, String> out = new HashMap<>();
        for (FileRange f : fileRanges) {
            if (f.offset() != 0 || f.deleted() || out.containsKey(f.path())) continue;
            String id = dumpedBuildId(f.start());
            if (id != null) out.put(f.path(), id);
        }
        return out;
    }

    /** The GNU build-id in the ELF header page the core dumped at start, or null. */
    public String dumpedBuildId(long start) {
        byte[] raw = readDumped(start, elfClass.ehdrSize());
        if (raw == null || !ElfFile.hasMagic(raw)) return null;
        ElfHeader h = ElfHeader.parse(raw, elfClass);
        long phoff = h.phoff();
        int phent = h.phentsize(), phnum = h.phnum();
        if (phnum > MAX_PHNUM || phent < elfClass.phdrSize() || phent > 128 || phoff < 0 || phoff > MAX_NOTE) return null;
        byte[] b = readDumped(start + phoff, phnum * phent);
        if (b == null) return null;
        for (ProgramHeader p : ElfFile.parseProgramHeaders(b, phnum, elfClass, phent)) {
            if (p.type() != ProgramHeader.PT_NOTE || p.filesz() <= 0 || p.filesz() > MAX_NOTE || p.offset() < 0 || p.offset() > MAX_NOTE) continue;
            byte[] n = readDumped(start + p.offset(), (int) p.filesz());
            if (n == null) continue;
            for (ElfNotes.Note note : ElfNotes.parse(n))
                if (note.type() == ElfNotes.NT_GNU_BUILD_ID && note.name().equals("GNU")) return ElfNotes.hex(note.desc());
        }
        return null;
    }

    /** Opens a file the core names, for comparisons (the caller closes it). */
    public Optional<ByteSource> openNamedFile(String path) {
        return files.open(path, false);
    }

    @Override public ProcessIdentity identity() { return identity; }
    @Override public ElfClass elfClass() { return elfClass; }
    @Override public int machine() { return machine; }
    @Override public Mappings mappings() { return mappings; }
    @Override public Auxv auxv() { return auxv; }
    @Override public boolean isLive() { return false; }
    @Override public long readCalls() { return memory.coreReads + files.reads; }
    @Override public Optional<FileFacts> statPathToday(String path) { return Optional.empty(); }
    @Override public boolean unavailable(long addr) { return memory.absent(addr); }

    @Override
    public void read(List<ReadRequest> batch) {
        for (ReadRequest r : batch) {
            int n = memory.read(r.address, r.data, 0, r.data.length, false);
            r.got = n == 0 && r.data.length > 0 ? -1 : n;
        }
    }

    @Override
    public Optional<ByteSource> openMappedFile(Mapping m) {
        if (!m.fileBacked()) return Optional.empty();
        return files.open(m.path(), m.deleted());
    }

    @Override
    public void close() {
        files.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
