package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.elf.ByteSource;
import io.lminspect.elf.ElfFile;
import io.lminspect.linker.LoadedObject;
import io.lminspect.inferior.FileId;
import io.lminspect.inferior.Mapping;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * UNLISTED_OBJECT: an ELF file mapped executable that no namespace's link_map
 * lists: loaded by hand (mmap), injected, or cut out of the chain.
 */
public final class UnlistedObjectCheck implements Check {
    @Override
    public void run(Inspection in) {
        if (!in.state().found() || in.state().entries().isEmpty()) return;
        Set<FileId> listed = new HashSet<>();
        for (LoadedObject o : in.objects())
            for (Mapping m : o.fileMappings()) listed.add(m.fileId());
        for (MappedFile f : MappedFile.of(in)) {
            if (listed.contains(f.id())) continue;
            Mapping exec = null;
            for (Mapping m : f.mappings()) if (m.executable()) exec = m;
            if (exec == null || !isElf(in, f)) continue;
            in.add(Finding.of(Severity.WARNING, FindingCode.UNLISTED_OBJECT)
                    .object(f.realPath()).mapped(f.mappedPath(), f.id()).address(exec.start())
                    .message("ELF file mapped executable at " + exec.range() + " but listed in no link_map namespace")
                    .evidence("inode " + f.id().inode() + ", " + f.mappings().size() + " mapping(s)")
                    .consequence("code the dynamic linker does not know about: loaded by hand, injected, or its entry was cut from the chain")
                    .remedy("find who mapped it (e.g. strace -e mmap, or audit rules) and whether it belongs to the application")
                    .build());
        }
    }

    private static boolean isElf(Inspection in, MappedFile f) {
        Optional<ByteSource> src = in.target().openMappedFile(f.first());
        if (src.isEmpty()) return false;
        try (ByteSource s = src.get()) {
            byte[] b = new byte[4];
            return s.read(0, b, 0, 4) == 4 && ElfFile.hasMagic(b);
        }
    }
}
