package io.lminspect.host;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PidRangesTest {
    @Test
    void consecutivePidsBecomeRanges() {
        assertEquals("101-105, 110, 200-201", PidRanges.format(List.of(101, 102, 103, 104, 105, 110, 200, 201)));
    }

    @Test
    void singlesEmptyUnsortedAndDuplicates() {
        assertEquals("", PidRanges.format(List.of()));
        assertEquals("7", PidRanges.format(List.of(7)));
        assertEquals("1, 3, 5", PidRanges.format(List.of(5, 1, 3)));
        assertEquals("1-3, 9", PidRanges.format(List.of(3, 2, 2, 9, 1)));
        assertEquals("2147483646-2147483647", PidRanges.format(List.of(Integer.MAX_VALUE, Integer.MAX_VALUE - 1)));
    }
}
