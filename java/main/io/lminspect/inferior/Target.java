package io.lminspect.inferior;

import io.lminspect.elf.ByteSource;
import io.lminspect.elf.ElfClass;

import java.util.List;
import java.util.Optional;

/**
 * A live process or a core file, seen the same way: memory, mappings, auxv,
 * identity. Everything above this interface (ELF reading, the r_debug locator,
 * the link_map walk, the checks, the reports) is written once against it.
 *
 * There is one read primitive, {@link #read(List)}; typed and checked reads
 * live in {@link Memory}. Implementations never write to the target.
 */
public interface Target extends AutoCloseable {

    ProcessIdentity identity();

    /** ELF64 (x86-64) or ELF32 (i386): the word size, structure sizes and registers of the target. */
    ElfClass elfClass();

    /** 8 for ELF64 targets, 4 for ELF32. */
    default int wordSize() {
        return elfClass().wordSize();
    }

    /** e_machine of the executable (62 x86-64, 3 i386). */
    int machine();

    Mappings mappings();

    Auxv auxv();

    /** Reads every request it can, in as few system calls as it can. Unreadable ranges get got = -1. */
    void read(List<ReadRequest> batch);

    /**
     * True when addr is mapped but its bytes cannot be had: a page a core did not dump
     * whose file is absent (or is another build). Such memory is not judged (rule 6): a read
     * that fails there says nothing about the process. Always false for a live process.
     */
    default boolean unavailable(long addr) {
        return false;
    }

    /** Why the target cannot be inspected whole (a budget was hit while opening it), or null. */
    default String cut() {
        return null;
    }

    /** The read of the target's memory now under way, described (address, size, since when), or null. */
    default String readInFlight() {
        return null;
    }

    /**
     * The file behind a mapping, opened the safe way (map_files or the target's
     * root, regular files only, same inode as mapped), or empty with the reason
     * recorded by the caller.
     */
    Optional<ByteSource> openMappedFile(Mapping m);

    /**
     * stat() of the mapped inode itself as it is now (size after a truncate),
     * even when it is deleted or in another mount namespace; empty when unknown.
     */
    default Optional<FileFacts> statMapped(Mapping m) {
        return Optional.empty();
    }

    /**
     * Regular files the target has open whose path ends with suffix (a live process's
     * /proc/PID/fd, at most max of them, each once); empty for a core, which keeps no file table.
     */
    default java.util.List<OpenFile> openFiles(String suffix, int max) {
        return java.util.List.of();
    }

    /** One of them opened the safe way (the target's root, regular, the same inode), or empty. */
    default Optional<ByteSource> open(OpenFile f) {
        return Optional.empty();
    }

    /** What the path names today, seen from the target's filesystem; empty for cores or when it cannot be seen. */
    Optional<FileFacts> statPathToday(String path);

    /**
     * A mapping's path as the target itself names it. /proc/PID/maps names files as the
     * reader sees them, so a process chrooted in our mount namespace shows the host's path
     * (/srv/root/usr/lib/…), one in its own mount namespace shows its own.
     */
    default String processView(String mapsPath) {
        return mapsPath;
    }

    /**
     * Re-reads the mapping list (a live process maps memory while we read it).
     * Returns false when the target cannot change (a core).
     */
    default boolean refreshMappings() {
        return false;
    }

    /**
     * Every thread's registers. A core holds them in its notes; a live process is
     * stopped for them (PTRACE_SEIZE + INTERRUPT, about a millisecond, then detached),
     * so callers ask only when the user did (--regs).
     */
    RegisterSnapshot registers();

    /**
     * The earliest time the process's mappings may have been made, for judging whether
     * a file changed under them: its start, or for a process forked from a parent
     * running the same program, that ancestor's start (a fork inherits the parent's
     * mappings and their private pages as they were). 0 when unknown.
     */
    default long mappingsOriginMillis() {
        return identity().startEpochMillis();
    }

    /** True for a running process; checks that need the live filesystem use this. */
    boolean isLive();

    /** How many memory-read system calls this target has made (benchmarks and tests read it). */
    long readCalls();

    @Override
    void close();
}
