package io.lminspect.util;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tty test behind --color=auto (a real pseudo-terminal is driven in OutputOptionsTest through script(1)). */
class TerminalTest {

    @Test
    void majorIsDecodedAsGlibcDoes() {
        assertEquals(136, Terminal.major((136L << 8) | 3));           // /dev/pts/3
        assertEquals(4, Terminal.major((4L << 8) | 64));              // /dev/ttyS0
        assertEquals(0x1234, Terminal.major((0x1000L << 32) | (0x234L << 8))); // a major above 4095 keeps its high bits
    }

    @Test
    void devicesOfTerminalDriversAreTerminals() throws Exception {
        assertTrue(Terminal.isTerminalMajor(136));
        assertTrue(Terminal.isTerminalMajor(143));
        assertTrue(Terminal.isTerminalMajor(5));
        // /dev/null and /dev/zero (mem driver, major 1) are character devices but no terminal
        Map<String, Object> nul = Files.readAttributes(Path.of("/dev/null"), "unix:rdev");
        assertFalse(Terminal.isTerminalMajor(Terminal.major((Long) nul.get("rdev"))));
        assertFalse(Terminal.isTerminalMajor(144));
    }

    @Test
    void aTestRunsStdoutIsNoTerminal() {
        // Surefire's fork writes to a pipe
        assertFalse(Terminal.stdout());
    }
}
