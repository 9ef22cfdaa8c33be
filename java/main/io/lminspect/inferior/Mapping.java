package io.lminspect.inferior;

import io.lminspect.util.Hex;

/**
 * One line of /proc/PID/maps (or one NT_FILE/PT_LOAD pair of a core): an address
 * range as it is mapped at run time. Not to be confused with a PT_LOAD program
 * header of a file (elf/ProgramHeader), which says what the loader is to map.
 */
public record Mapping(long start, long end, String perms, long offset, long dev, long inode, String path, boolean deleted) {
    /** The page size of x86 Linux: mappings start, end and (for files) begin at multiples of it. */
    public static final long PAGE = 4096;

    public boolean readable() { return perms.charAt(0) == 'r'; }
    public boolean writable() { return perms.charAt(1) == 'w'; }
    public boolean executable() { return perms.charAt(2) == 'x'; }
    public boolean shared() { return perms.charAt(3) == 's'; }
    public long size() { return end - start; }

    /** Backed by a regular file (an inode and a path that is not a pseudo-name like [heap]). */
    public boolean fileBacked() {
        return inode != 0 && path != null && path.startsWith("/");
    }

    /** The mapped file's identity: inode 0 for anonymous memory; a core records no inodes, so its files get one number per path. */
    public FileId fileId() {
        return new FileId(dev, inode);
    }

    public boolean contains(long addr) {
        return Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end) < 0;
    }

    /** The name of the /proc/PID/map_files link for this mapping. */
    public String mapFilesName() {
        return Long.toHexString(start) + "-" + Long.toHexString(end);
    }

    public String range() {
        return Hex.of(start) + "-" + Hex.of(end);
    }

    public String devString() {
        return Mappings.devString(dev);
    }
}
