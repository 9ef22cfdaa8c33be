package io.lminspect.watch;

import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** --interval: "500ms", "2s", "1m", "1h", or a bare number of seconds. */
public final class WatchDuration {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");
    /** Below this a rescan would be most of the watcher's work. */
    public static final long MIN_MILLIS = 100;

    private WatchDuration() {}

    public static long parseMillis(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) throw new InspectException(Failure.BAD_ARGUMENT, "--interval: '" + io.lminspect.util.SafeText.clean(String.valueOf(text))
                + "' is not a duration (e.g. 500ms, 2s, 1m)");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long ms = switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
        if (ms < MIN_MILLIS) throw new InspectException(Failure.BAD_ARGUMENT, "--interval: at least " + MIN_MILLIS + "ms");
        return ms;
    }
}
