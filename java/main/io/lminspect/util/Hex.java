package io.lminspect.util;

/** Addresses are unsigned 64-bit values held in a long; always print them as 0x… hex. */
public final class Hex {
    private Hex() {}

    public static String of(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** Parses "0x1f", "1f" (as hex); throws NumberFormatException on anything else. */
    public static long parse(String s) {
        String t = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        if (t.isEmpty() || t.length() > 16) throw new NumberFormatException("not a hex address: " + s);
        return Long.parseUnsignedLong(t, 16);
    }

    public static String bytes(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 3);
        for (int i = 0; i < len; i++) {
            if (i > 0) sb.append(' ');
            sb.append(Character.forDigit((b[off + i] >> 4) & 0xf, 16)).append(Character.forDigit(b[off + i] & 0xf, 16));
        }
        return sb.toString();
    }
}
