package io.lminspect.util;

import java.util.ArrayList;
import java.util.List;

/**
 * LMINSPECT_TIMING=1: where a run's time goes, phase by phase, printed on stderr when the
 * command ends (printing as it goes would itself cost a cold JVM milliseconds). Each line
 * gives the phase's own time and the time since main() began; the first line, the time
 * from the launcher's start to main() (the JVM's own start).
 */
public final class Timing {
    public static final boolean ON = System.getenv("LMINSPECT_TIMING") != null;
    private static final long START = System.nanoTime();
    private static final long START_EPOCH_NS = ON ? epochNanos() : 0;
    /** Each thread's last mark: a host scan inspects on several threads at once. */
    private static final ThreadLocal<Long> last = ThreadLocal.withInitial(() -> START);
    private static final List<Object[]> lines = new ArrayList<>();

    private Timing() {}

    /** Ends the phase that ran since the last mark. */
    public static void mark(String phase) {
        if (!ON) return;
        long now = System.nanoTime();
        long took = now - last.get();
        last.set(now);
        synchronized (lines) {
            lines.add(new Object[]{phase, took / 1e6, (now - START) / 1e6}); // formatted when printed
        }
    }

    /** Prints the phases marked so far, and forgets them. */
    public static void print(java.io.PrintStream err) {
        if (!ON) return;
        String t0 = System.getenv("LMINSPECT_T0");
        if (t0 != null && t0.matches("\\d{1,19}"))
            err.printf(Plain.LOCALE, "timing: %-28s %6.1f ms%n", "launcher + JVM start", (START_EPOCH_NS - Long.parseLong(t0)) / 1e6);
        synchronized (lines) {
            for (Object[] l : lines) err.printf(Plain.LOCALE, "timing: %-28s %6.1f ms  (at %6.1f ms)%n", l);
            lines.clear();
        }
    }

    private static long epochNanos() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
