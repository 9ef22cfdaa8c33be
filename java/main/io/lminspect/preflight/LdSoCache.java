package io.lminspect.preflight;

import io.lminspect.elf.ElfClass;
import io.lminspect.util.Bytes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * /etc/ld.so.cache as glibc's ld.so reads it: the "glibc-ld.so.cache1.1"
 * format, alone (glibc >= 2.32) or appended to the old "ld.so-1.7.0" table.
 * Every offset and count is checked against the file; a malformed cache is
 * treated as empty, as ld.so does.
 */
public final class LdSoCache {
    static final String OLD_MAGIC = "ld.so-1.7.0";
    static final String NEW_MAGIC = "glibc-ld.so.cache1.1";
    static final int NEW_HEADER = 48, NEW_ENTRY = 24, OLD_HEADER = 16, OLD_ENTRY = 12;
    /** sysdeps/generic/ldconfig.h: FLAG_ELF_LIBC6, plus the x86-64 and i386 flavours. */
    public static final int FLAG_ELF_LIBC6 = 0x0003, FLAG_X8664_LIB64 = 0x0300;
    /** Entries for a glibc-hwcaps subdirectory carry this bit in their hwcap word. */
    static final long HWCAP_EXTENSION = 1L << 62;

    public record Entry(int flags, String key, String value, long hwcap) {
        public boolean hwcapsSubdir() { return hwcap != 0; }
    }

    private final List<Entry> entries;

    private LdSoCache(List<Entry> entries) {
        this.entries = entries;
    }

    public static LdSoCache empty() {
        return new LdSoCache(List.of());
    }

    public List<Entry> entries() { return entries; }

    /** Parses the bytes of a cache file; anything unreadable gives an empty cache. */
    public static LdSoCache parse(byte[] b) {
        int base;
        if (startsWith(b, 0, NEW_MAGIC)) {
            base = 0;
        } else if (startsWith(b, 0, OLD_MAGIC) && b.length >= OLD_HEADER) {
            long oldCount = Bytes.u32(b, 12);
            long end = OLD_HEADER + oldCount * OLD_ENTRY;
            base = (int) Math.min(Integer.MAX_VALUE, (end + 7) & ~7L); // ALIGN_CACHE: the new table is 8-aligned
            if (end > b.length || !startsWith(b, base, NEW_MAGIC)) return empty(); // old-only caches: glibc >= 2.32 ignores them too
        } else {
            return empty();
        }
        if (base + NEW_HEADER > b.length) return empty();
        long n = Bytes.u32(b, base + 20);
        if (n > (b.length - base - NEW_HEADER) / NEW_ENTRY) return empty();
        List<Entry> out = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            int o = base + NEW_HEADER + i * NEW_ENTRY;
            int flags = (int) Bytes.u32(b, o);
            String key = string(b, base, Bytes.u32(b, o + 4));
            String value = string(b, base, Bytes.u32(b, o + 8));
            if (key == null || value == null) continue;
            out.add(new Entry(flags, key, value, Bytes.u64(b, o + 16)));
        }
        return new LdSoCache(Collections.unmodifiableList(out));
    }

    /**
     * The path ld.so would take for a library name: the first entry with that
     * name whose flags fit the target (64- or 32-bit x86). Entries for
     * glibc-hwcaps subdirectories are not chosen (see docs/preflight.md).
     */
    public Optional<String> lookup(String name, ElfClass c) {
        int want = switch (c) {
            case ELF64 -> FLAG_ELF_LIBC6 | FLAG_X8664_LIB64;
            case ELF32 -> FLAG_ELF_LIBC6;
        };
        for (Entry e : entries)
            if (e.key().equals(name) && e.flags() == want && !e.hwcapsSubdir()) return Optional.of(e.value());
        return Optional.empty();
    }

    /** Strings are offsets from the start of the new-format table. */
    private static String string(byte[] b, int base, long off) {
        long at = base + off;
        if (off < 0 || at >= b.length) return null;
        int max = (int) Math.min(b.length - at, 4096);
        int n = Bytes.indexOfNul(b, (int) at, max);
        if (n < 0) return null;
        return new String(b, (int) at, n, StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] b, int at, String magic) {
        if (at < 0 || at + magic.length() > b.length) return false;
        for (int i = 0; i < magic.length(); i++) if (b[at + i] != magic.charAt(i)) return false;
        return true;
    }
}
