package io.lminspect.util;

import java.nio.charset.StandardCharsets;

/**
 * Strings that come from a target (l_name, paths in maps, sonames) are hostile:
 * they may hold terminal escapes, newlines, invalid UTF-8 or be megabytes long.
 * Everything printed goes through here first (SPEC rule 3).
 */
public final class SafeText {
    /** Longest string lminspect ever prints from a target. */
    public static final int MAX_PRINTED = 512;

    private SafeText() {}

    /** Decodes target bytes: printable ASCII kept, anything else as \xNN; at most MAX_PRINTED characters. */
    public static String fromBytes(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(Math.min(len, MAX_PRINTED) + 8);
        int n = 0;
        for (int i = 0; i < len && sb.length() < MAX_PRINTED; i++, n++) {
            int c = b[off + i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') sb.append((char) c);
            else if (c == '\\') sb.append("\\\\");
            else sb.append(String.format("\\x%02x", c));
        }
        if (len > n) sb.append("…[").append(len).append(" bytes]");
        return sb.toString();
    }

    /** Escapes a string that may already hold control characters (e.g. a path from /proc). */
    public static String clean(String s) {
        if (s == null) return null;
        boolean plain = s.length() <= MAX_PRINTED;
        for (int i = 0; plain && i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\\') plain = false;
        }
        if (plain) return s;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return fromBytes(b, 0, b.length);
    }
}
