package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.elf.ByteSource;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.elf.ElfNotes;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.inferior.Auxv;
import io.lminspect.inferior.CoreFile;
import io.lminspect.inferior.FileRange;
import io.lminspect.util.Hex;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * CORE_FILE_MISMATCH (cores only): a file lminspect reads for a core is not
 * the one the process had mapped. Pages the core did not dump come from these
 * files, so a wrong one (an upgraded library, a wrong --exe) would make
 * findings and symbols wrong: compared through the build-id note in the ELF
 * header page the core did dump, and for the executable also through its
 * program headers at AT_PHDR.
 */
public final class CoreFileMismatchCheck implements Check {
    static final int MAX_PHNUM = 256;

    private final CoreFile core;
    private final boolean exeGiven;

    public CoreFileMismatchCheck(CoreFile core, boolean exeGiven) {
        this.core = core;
        this.exeGiven = exeGiven;
    }

    @Override
    public void run(Inspection in) {
        Set<String> seen = new HashSet<>();
        for (FileRange f : core.fileRanges()) {
            if (f.offset() != 0 || f.deleted() || !seen.add(f.path())) continue;
            boolean exe = f.path().equals(core.exePath());
            Optional<ByteSource> src = core.openNamedFile(f.path());
            if (src.isEmpty()) continue;
            try (ByteSource s = src.get()) {
                ElfFile file = ElfFile.parse(s);
                String inCore = core.dumpedBuildId(f.start());
                String onDisk = ElfNotes.buildId(file);
                String why = null;
                if (inCore != null && onDisk != null && !inCore.equals(onDisk))
                    why = "build-id " + onDisk + " on disk, " + inCore + " in the core's memory";
                if (why == null && exe) why = programHeadersDiffer(file);
                if (why != null) in.add(finding(f.path(), f.start(), exe, why));
            } catch (ElfFormatException e) {
                if (exe && exeGiven) in.add(finding(f.path(), f.start(), true, "it is not a readable ELF file: " + e.getMessage()));
            }
        }
    }

    private Finding finding(String path, long start, boolean exe, String why) {
        boolean byUser = exe && exeGiven;
        return Finding.of(Severity.WARNING, FindingCode.CORE_FILE_MISMATCH)
                .object(path).address(start)
                .message((byUser ? "--exe does not match the core's executable " : "the file read for ") + path
                        + (byUser ? "" : " is not the one the process had mapped") + ": " + why)
                .evidence(!why.startsWith("build-id") ? "memory the core did not dump is read from this file, so what is said about it may be wrong"
                        : "memory the core did not dump is therefore not read from this file: what only that memory would show is not judged")
                .consequence(!why.startsWith("build-id") ? "findings, symbols and the crash explanation for this object are unreliable"
                        : "the entries whose pages the core left out cannot be checked until the right files are given")
                .remedy(byUser ? "pass the executable the process ran (same build) with --exe"
                        : "point --sysroot at a copy of the files as they were when the core was written (or use --exe for the program)")
                .build();
    }

    /** The executable's program headers against those at AT_PHDR in the core's memory; null when they agree or cannot be compared. */
    private String programHeadersDiffer(ElfFile file) {
        Auxv a = core.auxv();
        long phnum = a.get(Auxv.AT_PHNUM), phent = a.get(Auxv.AT_PHENT);
        if (!a.has(Auxv.AT_PHNUM)) return null;
        if (phnum != file.programHeaders().size())
            return "AT_PHNUM is " + phnum + " but the file has " + file.programHeaders().size() + " program headers";
        ProgramHeader self = file.firstOfType(ProgramHeader.PT_PHDR);
        // the auxv comes from the core: only the class's own entry size and a sane count are used
        if (self == null || phent != core.elfClass().phdrSize() || phnum <= 0 || phnum > MAX_PHNUM) return null;
        byte[] mem = core.readDumped(a.get(Auxv.AT_PHDR), (int) (phent * phnum));
        if (mem == null) return null;
        byte[] disk = file.source().readFully(self.offset(), (int) (phent * phnum), "program headers");
        return Arrays.equals(mem, disk) ? null : "its program headers differ from those at AT_PHDR " + Hex.of(a.get(Auxv.AT_PHDR)) + " in the core";
    }
}
