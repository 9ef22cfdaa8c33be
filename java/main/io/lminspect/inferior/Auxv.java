package io.lminspect.inferior;

import io.lminspect.util.Bytes;

/** The ELF auxiliary vector (from /proc/PID/auxv or a core's NT_AUXV). */
public final class Auxv {
    public static final int AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_BASE = 7, AT_ENTRY = 9, AT_PLATFORM = 15,
            AT_SECURE = 23, AT_EXECFN = 31, AT_SYSINFO_EHDR = 33;

    /** Types and values in the vector's order; a type given twice answers with its last value (as a map would). */
    private final int[] types;
    private final long[] values;
    private final int n;

    private Auxv(int[] types, long[] values, int n) {
        this.types = types;
        this.values = values;
        this.n = n;
    }

    /** Arrays, not a map of boxed numbers: a host scan parses one vector per process (twice, to tell its class). */
    public static Auxv parse(byte[] b, int wordSize) {
        int step = 2 * wordSize;
        int max = Math.min(256, b.length / step);
        int[] t = new int[max];
        long[] v = new long[max];
        int n = 0;
        for (int off = 0; n < max && off + step <= b.length; off += step) {
            long type = Bytes.word(b, off, wordSize);
            if (type == 0) break;
            t[n] = (int) type;
            v[n++] = Bytes.word(b, off + wordSize, wordSize);
        }
        return new Auxv(t, v, n);
    }

    private int indexOf(int type) {
        for (int i = n - 1; i >= 0; i--) if (types[i] == type) return i;
        return -1;
    }

    public long get(int type) {
        int i = indexOf(type);
        return i < 0 ? 0 : values[i];
    }

    public boolean has(int type) {
        return indexOf(type) >= 0;
    }
}
