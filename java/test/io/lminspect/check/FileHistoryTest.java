package io.lminspect.check;

import io.lminspect.inferior.Mapping;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pages of a file mapping wholly past the file's end: touching them raises SIGBUS. */
class FileHistoryTest {
    private static Mapping mapping(long fileOffset, int pages) {
        return new Mapping(0x7f0000000000L, 0x7f0000000000L + pages * Mapping.PAGE, "r--p", fileOffset, 0x801, 1234, "/lib/x.so", false);
    }

    @Test
    void aFileThatCoversTheMappingLeavesNothingPastEof() {
        assertEquals(0, FileHistory.pagesPastEof(mapping(0, 4), 4 * 4096));
        assertEquals(0, FileHistory.pagesPastEof(mapping(0, 4), 4 * 4096 - 100), "the last page is partly in the file");
    }

    @Test
    void aTruncatedFileLeavesEveryPageFromItsLastPageOn() {
        assertEquals(2, FileHistory.pagesPastEof(mapping(0, 4), 5000), "EOF in page 1: pages 2 and 3 are past it");
        assertEquals(4, FileHistory.pagesPastEof(mapping(0, 4), 0), "truncated to nothing");
    }

    @Test
    void theMappingsFileOffsetCounts() {
        assertEquals(3, FileHistory.pagesPastEof(mapping(0x3000, 3), 0x2000), "the whole mapping lies past a 2-page file");
        assertEquals(1, FileHistory.pagesPastEof(mapping(0x1000, 3), 0x3000));
    }

    @Test
    void anUnknownSizeSaysNothing() {
        assertEquals(0, FileHistory.pagesPastEof(mapping(0, 4), -1));
    }
}
