package io.lminspect.util;

/** Little-endian field access with bounds already checked by the caller's buffer size. */
public final class Bytes {
    private Bytes() {}

    public static long u64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[off + i] & 0xffL);
        return v;
    }

    public static long u32(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }

    public static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    /** A word of the target's size (4 or 8), zero-extended. */
    public static long word(byte[] b, int off, int wordSize) {
        return wordSize == 8 ? u64(b, off) : u32(b, off);
    }

    /** Index of the first NUL in b[off, off+len), or -1. */
    public static int indexOfNul(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) if (b[off + i] == 0) return i;
        return -1;
    }
}
