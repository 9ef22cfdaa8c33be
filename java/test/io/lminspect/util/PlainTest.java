package io.lminspect.util;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlainTest {

    @Test
    void utcIsWhatInstantToStringWrites() {
        long[] edges = {0, 1, 999, 1000, 86_399_999L, 86_400_000L, 951_782_400_000L /* 2000-02-29 */,
                1_764_628_444_552L, 253_402_300_799_999L, 253_402_300_800_000L /* year 10000: Instant's own */};
        for (long ms : edges) assertEquals(Instant.ofEpochMilli(ms).toString(), Plain.utc(ms), "at " + ms);
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long ms = r.nextLong(0, 4_102_444_800_000L); // 1970 to 2100
            if (i % 3 == 0) ms -= ms % 1000; // whole seconds: no fraction
            assertEquals(Instant.ofEpochMilli(ms).toString(), Plain.utc(ms), "at " + ms);
        }
    }

    @Test
    void numbersAreTheSameInEveryLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // a decimal comma, were the locale used
            assertEquals("1.50 0x7f 0042", String.format(Plain.LOCALE, "%.2f 0x%x %04d", 1.5, 127, 42));
        } finally {
            Locale.setDefault(before);
        }
    }
}
