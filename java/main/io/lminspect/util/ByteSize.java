package io.lminspect.util;

/** Sizes for people: "32M" in options, "384 KiB" in reports. */
public final class ByteSize {
    private ByteSize() {}

    /** "33554432", "32M", "32MiB", "512k" → bytes; null when it is not a size. */
    public static Long parse(String s) {
        String t = s.trim().toLowerCase();
        long mult = 1;
        if (t.endsWith("ib")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) t = t.substring(0, t.length() - 1);
        if (t.endsWith("k")) mult = 1L << 10;
        else if (t.endsWith("m")) mult = 1L << 20;
        else if (t.endsWith("g")) mult = 1L << 30;
        if (mult != 1) t = t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(t);
            if (v < 0 || v > Long.MAX_VALUE / mult) return null;
            return v * mult;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Exact bytes below 1 KiB, else KiB/MiB/GiB/TiB with at most one decimal. */
    public static String format(long bytes) {
        if (bytes < 0) return Long.toUnsignedString(bytes) + " B";
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) return bytes + " B";
        return (v == Math.floor(v) ? String.format(Plain.LOCALE, "%d", (long) v) : String.format(Plain.LOCALE, "%.1f", v)) + " " + units[u];
    }
}
