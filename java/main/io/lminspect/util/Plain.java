package io.lminspect.util;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Text that is the same in every locale, made without the JDK's locale machinery.
 * Output is for machines and people alike (ASCII digits, '.' as the decimal point,
 * ISO-8601 times in UTC), and on a cold JVM the first localized format costs ~25 ms
 * (loading locale data) and the first Instant.toString ~6 ms (docs/benchmarks.md, "Start-up").
 */
public final class Plain {
    /**
     * For String.format and printf: null asks for no localization at all (the JDK's own
     * meaning of a null Locale), so no locale data is loaded.
     */
    public static final Locale LOCALE = null;

    /** The last millisecond that fits the 4-digit years below: 9999-12-31T23:59:59.999Z. */
    private static final long MAX_MILLIS = 253_402_300_799_999L;

    private Plain() {}

    /** An instant of whole milliseconds exactly as Instant.toString() writes it: 2026-12-01T22:34:04.552Z (no fraction when it is 0). */
    public static String utc(long epochMillis) {
        if (epochMillis < 0 || epochMillis > MAX_MILLIS) return Instant.ofEpochMilli(epochMillis).toString();
        long day = epochMillis / 86_400_000L;
        int ms = (int) (epochMillis % 86_400_000L);
        LocalDate d = LocalDate.ofEpochDay(day);
        StringBuilder b = new StringBuilder(24);
        pad(b, d.getYear(), 4).append('-');
        pad(b, d.getMonthValue(), 2).append('-');
        pad(b, d.getDayOfMonth(), 2).append('T');
        pad(b, ms / 3_600_000, 2).append(':');
        pad(b, ms / 60_000 % 60, 2).append(':');
        pad(b, ms / 1000 % 60, 2);
        if (ms % 1000 != 0) pad(b.append('.'), ms % 1000, 3);
        return b.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) b.append('0');
        return b.append(s);
    }
}
