package io.lminspect.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTextTest {
    @Test
    void targetBytesAreEscapedAndCapped() {
        byte[] b = "lib\u001b[2J\n\u00ff.so".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("lib\\x1b[2J\\x0a\\xff.so", SafeText.fromBytes(b, 0, b.length));
        byte[] big = new byte[1 << 20];
        String s = SafeText.fromBytes(big, 0, big.length);
        assertTrue(s.length() < SafeText.MAX_PRINTED + 32, "capped: " + s.length());
        assertTrue(s.endsWith("[1048576 bytes]"));
    }

    @Test
    void cleanEscapesControlAndBidiButNotTwice() {
        assertEquals("a\\x1bb\\u{202e}c", SafeText.clean("a\u001bb\u202ec"));
        String once = SafeText.fromBytes(new byte[]{'x', 0x1b, '\\'}, 0, 3);
        assertEquals(once, SafeText.clean(once), "clean() leaves already-escaped text alone");
        assertEquals("libä中.so", SafeText.clean("libä中.so"), "printable non-ASCII kept");
        assertFalse(SafeText.clean("x".repeat(100_000)).length() > SafeText.MAX_PRINTED + 32);
    }
}
