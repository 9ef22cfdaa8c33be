package io.lminspect.inferior;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one /proc/PID/stat parser, for the real /proc (ProcFs.stat) and forged ones (ProcessLineage). */
class ProcStatParseTest {

    @Test
    void fieldsAfterTheLastParenthesis() {
        StringBuilder line = new StringBuilder("42 (a) b) (c) S 7");
        for (int field = 5; field <= 52; field++) line.append(' ').append(field == 22 ? 12345 : field == 9 ? 0x200000 : field == 47 ? 94000000L : 0);
        ProcFs.Stat s = ProcFs.Stat.parse(line + "\n").orElseThrow();
        assertEquals("a) b) (c", s.comm());
        assertEquals('S', s.state());
        assertEquals(7, s.ppid());
        assertEquals(12345, s.startTicks());
        assertEquals(0x200000, s.flags());
        assertEquals(94000000L, s.startBrk());
    }

    @Test
    void notAStatLineIsEmpty() {
        for (String bad : new String[]{"", "garbage", "1 (x", "1 (x)", "1 (x) ", "1 (x) S 1 2 3", "1 (x) S notanumber 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"})
            assertEquals(Optional.empty(), ProcFs.Stat.parse(bad), bad);
    }

    @Test
    void ourOwnStatAgreesWithTheJdk() throws Exception {
        ProcFs.Stat s = ProcFs.Stat.parse(Files.readString(Path.of("/proc/self/stat"))).orElseThrow();
        assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), s.ppid());
        assertTrue(s.startTicks() > 0, "start ticks");
    }
}
