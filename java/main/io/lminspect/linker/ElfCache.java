package io.lminspect.linker;

import io.lminspect.elf.ByteSource;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Target;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parsed mapped files, shared across the processes of one run: a host scan
 * parses libc once, not once per process. Keyed by device and inode: a hit
 * costs no system call. The cache lives for one command, so a file rewritten
 * during that command's second is the only one it can hold stale.
 */
public final class ElfCache implements AutoCloseable {
    private static final int MAX_OPEN = 256;

    /** A parse result: the ELF, or why there is none. */
    public record Entry(ElfFile elf, String error) {}

    private final Map<Object, ElfCache.Entry> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, ElfCache.Entry> eldest) {
            if (size() <= MAX_OPEN) return false;
            if (eldest.getValue().elf() != null) eldest.getValue().elf().source().close();
            return true;
        }
    };

    public synchronized Entry get(Target t, Mapping m) {
        // a core's NT_FILE has no inode: those are keyed by path
        Object key = m.inode() != 0 ? m.fileId() : m.path();
        Entry e = cache.get(key);
        if (e != null) return e;
        Optional<ByteSource> src = t.openMappedFile(m);
        if (src.isEmpty()) return new Entry(null, "the mapped file cannot be opened safely (not a regular file, other inode, or no permission)");
        try {
            e = new Entry(ElfFile.parse(src.get()), null);
        } catch (ElfFormatException ex) {
            src.get().close();
            e = new Entry(null, ex.getMessage());
        }
        cache.put(key, e);
        return e;
    }

    public synchronized void close() {
        for (Entry e : cache.values()) if (e.elf() != null) e.elf().source().close();
        cache.clear();
    }
}
