package io.lminspect.elf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Separate debug files found by GNU build-id, as gdb and elfutils find them:
 * DIR/.build-id/xx/rest.debug (Debian's *-dbg and *-dbgsym packages install
 * there; libc6-dbg gives ld.so's strcmp and _dl_map_object). Only a regular
 * file whose own build-id matches is used.
 */
public final class DebugFiles {
    public static final Path DEFAULT_DIR = Path.of("/usr/lib/debug");
    private static final Map<String, ElfFile> CACHE = new HashMap<>();

    private DebugFiles() {}

    /** The debug file of elf under dir, or null. */
    public static synchronized ElfFile find(ElfFile elf, Path dir) {
        String id = ElfNotes.buildId(elf);
        if (id == null || id.length() < 4) return null;
        String key = dir + ":" + id;
        if (CACHE.containsKey(key)) return CACHE.get(key);
        ElfFile found = null;
        Path p = dir.resolve(".build-id").resolve(id.substring(0, 2)).resolve(id.substring(2) + ".debug");
        try {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || (Files.isSymbolicLink(p) && Files.isRegularFile(p))) {
                FileByteSource src = FileByteSource.open(p);
                ElfFile dbg = ElfFile.parse(src);
                if (id.equals(ElfNotes.buildId(dbg))) found = dbg;
                else src.close();
            }
        } catch (IOException | ElfFormatException e) {
            found = null;
        }
        CACHE.put(key, found);
        return found;
    }
}
