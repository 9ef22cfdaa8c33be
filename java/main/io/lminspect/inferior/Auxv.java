package io.lminspect.inferior;

import io.lminspect.util.Bytes;

import java.util.LinkedHashMap;
import java.util.Map;

/** The ELF auxiliary vector (from /proc/PID/auxv or a core's NT_AUXV). */
public final class Auxv {
    public static final int AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_BASE = 7, AT_ENTRY = 9, AT_PLATFORM = 15,
            AT_SECURE = 23, AT_EXECFN = 31, AT_SYSINFO_EHDR = 33;

    private final Map<Integer, Long> values;

    private Auxv(Map<Integer, Long> values) {
        this.values = values;
    }

    public static Auxv parse(byte[] b, int wordSize) {
        Map<Integer, Long> v = new LinkedHashMap<>();
        int step = 2 * wordSize;
        for (int off = 0; off + step <= b.length && v.size() < 256; off += step) {
            long type = Bytes.word(b, off, wordSize);
            if (type == 0) break;
            v.put((int) type, Bytes.word(b, off + wordSize, wordSize));
        }
        return new Auxv(v);
    }

    public long get(int type) {
        return values.getOrDefault(type, 0L);
    }

    public boolean has(int type) {
        return values.containsKey(type);
    }
}
