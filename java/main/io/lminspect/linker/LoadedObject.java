package io.lminspect.linker;

import io.lminspect.elf.ElfFile;
import io.lminspect.inferior.Mapping;

import java.util.List;

/**
 * A link_map entry joined with what backs it: the mappings of its file (found
 * through l_ld, which must lie inside the object), and the file as mapped.
 */
public record LoadedObject(LinkMapEntry entry, Mapping dynamicMapping, List<Mapping> fileMappings, ElfFile elf,
                           String elfError) {

    /** The path the mapping names (what /proc/PID/maps says), or null for anonymous/vDSO. */
    public String mappedPath() {
        return dynamicMapping == null ? null : dynamicMapping.path();
    }

    public boolean fileBacked() {
        return dynamicMapping != null && dynamicMapping.fileBacked();
    }

    /** The name to show: l_name, or the mapping's path for the main program. */
    public String displayName() {
        if (!entry.name.isEmpty()) return entry.name;
        String p = mappedPath();
        return p == null ? "(main program)" : io.lminspect.util.SafeText.clean(p);
    }
}
