package io.lminspect.linker;

import io.lminspect.elf.ElfFile;
import io.lminspect.inferior.Mapping;

import java.util.List;

/**
 * A link_map entry joined with what backs it: the mappings of its file (found
 * through l_ld, which must lie inside the object), the file as mapped, and the
 * soname pointer computed with that file's help.
 */
public record LoadedObject(LinkMapEntry entry, Mapping dynamicMapping, List<Mapping> fileMappings, ElfFile elf,
                           String elfError, Soname soname) {

    public LoadedObject(LinkMapEntry entry, Mapping dynamicMapping, List<Mapping> fileMappings, ElfFile elf, String elfError) {
        this(entry, dynamicMapping, fileMappings, elf, elfError, Soname.NONE);
    }

    public LoadedObject withSoname(Soname s) {
        return new LoadedObject(entry, dynamicMapping, fileMappings, elf, elfError, s);
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
