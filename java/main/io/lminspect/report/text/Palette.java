package io.lminspect.report.text;

import io.lminspect.finding.Severity;

/**
 * Colour for the few words a reader scans for: the severity that opens each block and
 * the status word of check's summary line. Nothing else is coloured, so the text stays
 * the same text with or without it (tests and scripts compare it).
 */
public final class Palette {
    public static final Palette PLAIN = new Palette(false), ANSI = new Palette(true);

    private static final String RED = "\033[1;31m", YELLOW = "\033[1;33m", GREEN = "\033[32m", DIM = "\033[2m", RESET = "\033[0m";

    private final boolean on;

    private Palette(boolean on) {
        this.on = on;
    }

    public static Palette of(boolean color) {
        return color ? ANSI : PLAIN;
    }

    /** "CRITICAL", "WARNING", "INFO", coloured when on. */
    String severity(Severity s) {
        return paint(s.name(), switch (s) {
            case CRITICAL -> RED;
            case WARNING -> YELLOW;
            case INFO -> DIM;
        });
    }

    /** A Nagios status word (OK, WARNING, CRITICAL, UNKNOWN). */
    String status(String word) {
        return paint(word, switch (word) {
            case "CRITICAL", "UNKNOWN" -> RED;
            case "WARNING" -> YELLOW;
            case "OK" -> GREEN;
            default -> null;
        });
    }

    private String paint(String word, String colour) {
        return on && colour != null ? colour + word + RESET : word;
    }
}
