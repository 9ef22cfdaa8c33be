package io.lminspect.linker;

import io.lminspect.elf.ElfFile;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Target;

/**
 * The file an object was loaded from, opened (safely, through the ElfCache) on first use.
 * An inspection needs a file's contents only for the deep checks, symbol names and
 * preflight; its program headers come from the target's memory (ObjectResolver), so most
 * objects of a default attach or scan never open their file (docs/benchmarks.md).
 */
public final class ObjectFile {
    private final ElfCache cache;
    private final Target target;
    private final Mapping mapping;
    private ElfFile elf;
    private String error;
    private boolean opened;

    private ObjectFile(ElfCache cache, Target target, Mapping mapping, ElfFile elf, String error, boolean opened) {
        this.cache = cache;
        this.target = target;
        this.mapping = mapping;
        this.elf = elf;
        this.error = error;
        this.opened = opened;
    }

    /** The file behind mapping (the one at file offset 0 holds the ELF header), opened when first asked. */
    static ObjectFile lazy(ElfCache cache, Target target, Mapping mapping) {
        return new ObjectFile(cache, target, mapping, null, null, false);
    }

    /** An image already read (the vDSO, from memory), or none and why. */
    static ObjectFile known(ElfFile elf, String error) {
        return new ObjectFile(null, null, null, elf, error, true);
    }

    /** The parsed file, or null when it cannot be opened safely or parsed (see error()). */
    public synchronized ElfFile elf() {
        open();
        return elf;
    }

    /** Why elf() is null, or null. */
    public synchronized String error() {
        open();
        return error;
    }

    private void open() {
        if (opened) return;
        opened = true;
        ElfCache.Entry e = cache.get(target, mapping);
        elf = e.elf();
        error = e.error();
    }
}
