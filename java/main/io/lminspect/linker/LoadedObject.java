package io.lminspect.linker;

import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.inferior.Mapping;

import java.util.List;

/**
 * A link_map entry joined with what backs it: the mappings of its file (found
 * through l_ld, which must lie inside the object), its program headers as mapped,
 * the file (opened on first use), and the soname pointer computed with the program
 * headers' help.
 *
 * @param programHeaders the object's program headers as the target maps them (read from its
 *                       memory, where ld.so mapped the ELF header; from the file when that
 *                       page cannot be read); empty when neither could be had
 */
public record LoadedObject(LinkMapEntry entry, Mapping dynamicMapping, List<Mapping> fileMappings,
                           List<ProgramHeader> programHeaders, ObjectFile file, Soname soname) {

    public LoadedObject(LinkMapEntry entry, Mapping dynamicMapping, List<Mapping> fileMappings,
                        List<ProgramHeader> programHeaders, ObjectFile file) {
        this(entry, dynamicMapping, fileMappings, programHeaders, file, Soname.NONE);
    }

    public LoadedObject withSoname(Soname s) {
        return new LoadedObject(entry, dynamicMapping, fileMappings, programHeaders, file, s);
    }

    /** The mapped file, parsed (opened on first call), or null when it cannot be read: see elfError(). */
    public ElfFile elf() {
        return file.elf();
    }

    /** Why elf() is null, or null. */
    public String elfError() {
        return file.error();
    }

    /** The mapped file's identity (device, inode), or null for anonymous memory and the vDSO. */
    public io.lminspect.inferior.FileId mappedFileId() {
        return fileBacked() ? dynamicMapping.fileId() : null;
    }

    /** The path the mapping names (what /proc/PID/maps says), or null for anonymous/vDSO. */
    public String mappedPath() {
        return dynamicMapping == null ? null : dynamicMapping.path();
    }

    public boolean fileBacked() {
        return dynamicMapping != null && dynamicMapping.fileBacked();
    }

    /** The name to show: l_name, or the mapping's path for the main program. */
    public String displayName() {
        if (!entry.name().isEmpty()) return entry.name();
        String p = mappedPath();
        return p == null ? "(main program)" : io.lminspect.util.SafeText.clean(p);
    }
}
