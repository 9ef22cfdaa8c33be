package io.lminspect.preflight;

import io.lminspect.elf.ElfClass;
import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ld.so.cache parser against the system's own cache, as `ldconfig -p` prints it, and against hostile bytes. */
class LdSoCacheTest {
    private static final Pattern LINE = Pattern.compile("^\\s+(\\S+) \\(libc6,x86-64\\) => (\\S+)$");

    @Test
    void agreesWithLdconfigForAHandfulOfNames() throws Exception {
        Path cache = Path.of("/etc/ld.so.cache");
        Assumptions.assumeTrue(Files.isRegularFile(cache) && (Build.have("ldconfig") || Files.isExecutable(Path.of("/sbin/ldconfig"))),
                "needs /etc/ld.so.cache and ldconfig");
        String ldconfig = Build.have("ldconfig") ? "ldconfig" : "/sbin/ldconfig";
        Cli.Result r = Cli.exec(List.of(ldconfig, "-p"), 30);
        assertEquals(0, r.rc(), r.err());
        // the first path ldconfig lists for a name is the one ld.so takes (no hwcaps annotation on these lines)
        Map<String, String> expected = new LinkedHashMap<>();
        for (String l : r.out().split("\n")) {
            Matcher m = LINE.matcher(l);
            if (m.matches()) expected.putIfAbsent(m.group(1), m.group(2));
        }
        assertTrue(expected.size() >= 5, "ldconfig -p lists x86-64 libraries: " + r.out());
        LdSoCache parsed = LdSoCache.parse(Files.readAllBytes(cache));
        List<String> names = new ArrayList<>(List.of("libc.so.6", "libm.so.6", "libresolv.so.2"));
        for (String n : expected.keySet()) if (names.size() < 12 && !names.contains(n)) names.add(n);
        for (String n : names) {
            if (!expected.containsKey(n)) continue;
            assertEquals(Optional.of(expected.get(n)), parsed.lookup(n, ElfClass.ELF64), n);
        }
        assertEquals(Optional.empty(), parsed.lookup("libno-such-library.so.9", ElfClass.ELF64));
    }

    @Test
    void readsTheNewTableAfterAnOldOne() {
        byte[] b = cache(true, List.of(new String[]{"libfoo.so.1", "/opt/lib/libfoo.so.1"}, new String[]{"libbar.so.2", "/usr/lib/libbar.so.2"}));
        LdSoCache c = LdSoCache.parse(b);
        assertEquals(Optional.of("/usr/lib/libbar.so.2"), c.lookup("libbar.so.2", ElfClass.ELF64));
        assertEquals(Optional.of("/opt/lib/libfoo.so.1"), c.lookup("libfoo.so.1", ElfClass.ELF64));
        assertEquals(Optional.empty(), c.lookup("libfoo.so.1", ElfClass.ELF32), "a 32-bit target does not take x86-64 entries");
    }

    @Test
    void hostileBytesGiveAnEmptyCacheNeverAnException() {
        byte[] good = cache(false, List.<String[]>of(new String[]{"libfoo.so.1", "/opt/lib/libfoo.so.1"}));
        assertEquals(1, LdSoCache.parse(good).entries().size());
        for (int cut = 0; cut < good.length; cut += 3) LdSoCache.parse(java.util.Arrays.copyOf(good, cut));
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 0x7fffffff);
        assertTrue(LdSoCache.parse(huge).entries().isEmpty(), "an entry count past the end of the file");
        byte[] badString = good.clone();
        ByteBuffer.wrap(badString).order(ByteOrder.LITTLE_ENDIAN).putInt(48 + 4, 0x7ffffff0);
        assertTrue(LdSoCache.parse(badString).entries().isEmpty(), "a string offset past the end is skipped");
        assertTrue(LdSoCache.parse(new byte[0]).entries().isEmpty());
        assertTrue(LdSoCache.parse("not a cache at all".getBytes(StandardCharsets.US_ASCII)).entries().isEmpty());
    }

    /** A cache in glibc's layout: optionally the old table first, then "glibc-ld.so.cache1.1" with its strings. */
    static byte[] cache(boolean withOld, List<String[]> libs) {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        int headerAndEntries = 48 + 24 * libs.size();
        ByteBuffer entries = ByteBuffer.allocate(24 * libs.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (String[] l : libs) {
            int key = headerAndEntries + strings.size();
            strings.writeBytes((l[0] + "\0").getBytes(StandardCharsets.US_ASCII));
            int value = headerAndEntries + strings.size();
            strings.writeBytes((l[1] + "\0").getBytes(StandardCharsets.US_ASCII));
            entries.putInt(LdSoCache.FLAG_ELF_LIBC6 | LdSoCache.FLAG_X8664_LIB64).putInt(key).putInt(value).putInt(0).putLong(0);
        }
        ByteBuffer n = ByteBuffer.allocate(headerAndEntries + strings.size()).order(ByteOrder.LITTLE_ENDIAN);
        n.put("glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII)).putInt(libs.size()).putInt(strings.size());
        n.position(48);
        n.put(entries.array()).put(strings.toByteArray());
        if (!withOld) return n.array();
        // old table: magic "ld.so-1.7.0" padded to 12, a count, 12-byte entries; the new table is 8-aligned after it
        int oldLen = 16 + 12 * libs.size();
        int pad = ((oldLen + 7) & ~7) - oldLen;
        ByteBuffer all = ByteBuffer.allocate(oldLen + pad + n.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        all.put("ld.so-1.7.0".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).putInt(libs.size());
        all.position(oldLen + pad);
        all.put(n.array());
        return all.array();
    }
}
