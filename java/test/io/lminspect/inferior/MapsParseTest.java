package io.lminspect.inferior;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The maps parser is tuned for scans (hand-rolled hex, shared perms strings, a file's
 * decoded path reused by its next mapping); it must read every line as the plainest
 * parser would: each readable process's maps on this machine, and the odd lines.
 */
class MapsParseTest {
    private static final Pattern LINE = Pattern.compile("([0-9a-f]+)-([0-9a-f]+) (\\S{4}) ([0-9a-f]+) ([0-9a-f]+):([0-9a-f]+) (\\d+) *(.*)");

    /** The plainest reading of one line, for comparison. */
    private static Mapping reference(String line) {
        Matcher m = LINE.matcher(line);
        assertTrue(m.matches(), line);
        String path = m.group(8);
        long inode = Long.parseLong(m.group(7));
        boolean deleted = inode != 0 && path.endsWith(" (deleted)");
        if (deleted) path = path.substring(0, path.length() - " (deleted)".length());
        path = path.replace("\\012", "\n");
        path = new String(path.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new Mapping(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16), m.group(3),
                Long.parseUnsignedLong(m.group(4), 16), Mappings.makeDev(Long.parseLong(m.group(5), 16), Long.parseLong(m.group(6), 16)),
                inode, path, deleted);
    }

    private static void same(String text) {
        List<Mapping> expected = new ArrayList<>();
        for (String l : text.split("\n")) if (!l.isEmpty()) expected.add(reference(l));
        assertEquals(expected, Mappings.parseProcMaps(text).all());
    }

    @Test
    void everyProcessOnThisMachineParsesAsThePlainestParserReadsIt() throws Exception {
        int read = 0;
        try (var ps = Files.list(Path.of("/proc"))) {
            for (Path p : ps.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                String text;
                try {
                    text = new String(Files.readAllBytes(p.resolve("maps")), StandardCharsets.ISO_8859_1);
                } catch (Exception gone) {
                    continue;
                }
                same(text);
                read++;
            }
        }
        assertTrue(read > 0, "some process's maps could be read");
    }

    @Test
    void oddLinesToo() {
        same("""
                7f0000000000-7f0000001000 r--p 00000000 fe:00 42 /opt/a lib/libx.so
                7f0000001000-7f0000002000 r-xp 00001000 fe:00 42 /opt/a lib/libx.so
                7f0000002000-7f0000003000 rw-s 00000000 00:05 7 /SYSV00000000 (deleted)
                7f0000003000-7f0000004000 r--p 00000000 fe:00 43 /tmp/new\\012line.so (deleted)
                7f0000004000-7f0000005000 r-xp 00001000 fe:00 43 /tmp/new\\012line.so (deleted)
                7f0000005000-7f0000006000 r--p 00000000 fe:00 44 /tmp/caf\u00c3\u00a9.so
                7f0000006000-7f0000007000 r--p 00000000 fe:00 45 /tmp/caf\u00c3\u00a9.so
                7f0000007000-7f0000008000 ---p 00000000 00:00 0
                7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
                ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
                """);
    }
}
