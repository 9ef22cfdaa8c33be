package io.lminspect.check;

import io.lminspect.elf.ByteSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A jar's central directory: each entry's name, uncompressed size and CRC-32, read from the
 * end of the file without inflating anything. Enough to tell which entry a file extracted
 * from it came from (same size, same CRC). Bounded and checked at every step (rule 2): a
 * central directory over {@link #MAX_DIRECTORY} bytes or {@link #MAX_ENTRIES} entries, or
 * one that does not add up, gives what was read so far, never an exception.
 */
public record JarIndex(List<Entry> entries) {
    public record Entry(String name, long size, long crc) {}

    static final int MAX_DIRECTORY = 16 << 20;
    static final int MAX_ENTRIES = 200_000;
    private static final int EOCD = 0x06054b50, CEN = 0x02014b50, EOCD_LEN = 22, CEN_LEN = 46;

    public static JarIndex read(ByteSource src) {
        long size = src.size();
        if (size < EOCD_LEN) return new JarIndex(List.of());
        // the end record is in the last 64 KiB + 22 bytes (its comment is at most 65535 bytes)
        int tailLen = (int) Math.min(size, 65535 + EOCD_LEN);
        byte[] tail = new byte[tailLen];
        if (src.read(size - tailLen, tail, 0, tailLen) != tailLen) return new JarIndex(List.of());
        int eocd = -1;
        for (int i = tailLen - EOCD_LEN; i >= 0; i--) if (u32(tail, i) == EOCD) { eocd = i; break; }
        if (eocd < 0) return new JarIndex(List.of());
        long cdSize = u32(tail, eocd + 12), cdOffset = u32(tail, eocd + 16);
        int count = u16(tail, eocd + 10);
        // zip64 (0xffffffff markers) is not read: a JNI library's jar is far smaller
        if (cdSize > MAX_DIRECTORY || cdOffset + cdSize > size || cdSize < 0) return new JarIndex(List.of());
        byte[] cd = new byte[(int) cdSize];
        if (src.read(cdOffset, cd, 0, cd.length) != cd.length) return new JarIndex(List.of());
        List<Entry> out = new ArrayList<>(Math.min(count, 4096));
        for (int p = 0; p + CEN_LEN <= cd.length && out.size() < MAX_ENTRIES; ) {
            if (u32(cd, p) != CEN) break;
            long crc = u32(cd, p + 16), usize = u32(cd, p + 24);
            int nameLen = u16(cd, p + 28), extraLen = u16(cd, p + 30), commentLen = u16(cd, p + 32);
            if (p + CEN_LEN + nameLen > cd.length) break;
            out.add(new Entry(new String(cd, p + CEN_LEN, nameLen, StandardCharsets.UTF_8), usize, crc));
            p += CEN_LEN + nameLen + extraLen + commentLen;
        }
        return new JarIndex(List.copyOf(out));
    }

    private static long u32(byte[] b, int o) {
        return (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
    }

    private static int u16(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }
}
