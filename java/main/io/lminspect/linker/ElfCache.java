package io.lminspect.linker;

import io.lminspect.elf.ByteSource;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Target;

import io.lminspect.elf.ProgramHeader;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** Program headers as read from some process's memory, by file: a scan reads each file's once. */
    private final Map<Object, List<ProgramHeader>> headers = new HashMap<>();

    /** The program headers of the file mapped at m, if an earlier process of this run had them read. */
    public synchronized List<ProgramHeader> headers(Mapping m) {
        return headers.get(key(m));
    }

    public synchronized void rememberHeaders(Mapping m, List<ProgramHeader> phdrs) {
        if (headers.size() < MAX_HEADERS) headers.putIfAbsent(key(m), phdrs);
    }

    private static final int MAX_HEADERS = 65_536;

    // a core's NT_FILE has no inode: those are keyed by path
    private static Object key(Mapping m) {
        return m.inode() != 0 ? m.fileId() : m.path();
    }

    public synchronized Entry get(Target t, Mapping m) {
        Object key = key(m);
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
        headers.clear();
    }
}
