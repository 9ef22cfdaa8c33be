package io.lminspect.elf;

/**
 * Bytes addressed by offset: a file on disk, a range of target memory, a
 * segment of a core. Parsers take one of these so the vDSO in memory and a
 * library on disk parse the same way.
 */
public interface ByteSource extends AutoCloseable {
    /** Total size, or Long.MAX_VALUE when unknown (memory). */
    long size();

    /** Reads up to len bytes at off into dst; returns bytes read (0 at end). */
    int read(long off, byte[] dst, int dstOff, int len);

    /** A name for messages. */
    String name();

    @Override
    default void close() {}

    /** Exactly len bytes at off, or an ElfFormatException naming what was cut short. */
    default byte[] readFully(long off, int len, String what) {
        if (len < 0 || off < 0 || off + len < 0 || (size() != Long.MAX_VALUE && off + len > size()))
            throw new ElfFormatException(name() + ": " + what + " at offset " + off + " (+" + len + ") lies past the end (" + size() + " bytes)");
        byte[] b = new byte[len];
        int got = 0;
        while (got < len) {
            int n = read(off + got, b, got, len - got);
            if (n <= 0) throw new ElfFormatException(name() + ": " + what + " cannot be read at offset " + (off + got));
            got += n;
        }
        return b;
    }
}
