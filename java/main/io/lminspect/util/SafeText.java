package io.lminspect.util;


/**
 * Strings that come from a target (l_name, paths in maps, sonames) are hostile:
 * they may hold terminal escapes, newlines, invalid UTF-8 or be megabytes long.
 * Everything printed goes through here first (docs/design.md, rule 3).
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
            else sb.append(String.format(Plain.LOCALE, "\\x%02x", c));
        }
        if (len > n) sb.append("…[").append(len).append(" bytes]");
        return sb.toString();
    }

    /**
     * Makes any string safe for a terminal: control characters, DEL, C1 controls and
     * Unicode format characters (bidi overrides that reorder what a terminal shows)
     * become \\xNN or \\u{XXXX}; length capped. Idempotent: text already escaped by
     * {@link #fromBytes} passes through unchanged, so escaping twice never doubles
     * backslashes.
     */
    public static String clean(String s) {
        if (s == null) return null;
        boolean plain = s.length() <= MAX_PRINTED + 32;
        for (int i = 0; plain && i < s.length(); i++) plain = !unsafe(s.charAt(i));
        if (plain) return s;
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_PRINTED) + 16);
        int i = 0;
        for (; i < s.length() && sb.length() < MAX_PRINTED; i++) {
            char c = s.charAt(i);
            if (!unsafe(c)) sb.append(c);
            else if (c <= 0xff) sb.append(String.format(Plain.LOCALE, "\\x%02x", (int) c));
            else sb.append(String.format(Plain.LOCALE, "\\u{%04x}", (int) c));
        }
        if (i < s.length()) sb.append("…[").append(s.length()).append(" chars]");
        return sb.toString();
    }

    private static boolean unsafe(char c) {
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) return true;
        int t = Character.getType(c);
        return t == Character.FORMAT || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR;
    }
}
