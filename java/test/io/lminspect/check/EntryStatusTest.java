package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.linker.LinkMapEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An entry's row status, derived from the findings that name it. */
class EntryStatusTest {
    private static LinkMapEntry entry(int namespace, int index) {
        return new LinkMapEntry(namespace, index, 0x1000, 0, 0x2000, 0x3000, 0, 0, "/lib/libv.so.2", true, true, 14,
                0, 0, false, 0, 0, false, false, List.of(), true, List.of());
    }

    private static Finding finding(Severity s, FindingCode c, int namespace, int index) {
        return Finding.of(s, c).entry(namespace, index).message("m").build();
    }

    @Test
    void noFindingIsOk() {
        assertEquals(EntryStatus.OK, EntryStatus.of(entry(0, 3), List.of()));
    }

    @Test
    void aCriticalFindingMakesItCorruptWhateverElseIsSaid() {
        List<Finding> f = List.of(finding(Severity.WARNING, FindingCode.FILE_REPLACED, 0, 3),
                finding(Severity.CRITICAL, FindingCode.SONAME_UNMAPPED, 0, 3));
        assertEquals(EntryStatus.CORRUPT, EntryStatus.of(entry(0, 3), f));
        assertEquals(EntryStatus.CORRUPT, EntryStatus.of(entry(0, 3), List.of(f.get(1), f.get(0))), "order does not matter");
    }

    @Test
    void aReplacedOrDeletedFileAtWarningIsStale() {
        assertEquals(EntryStatus.STALE, EntryStatus.of(entry(0, 3), List.of(finding(Severity.WARNING, FindingCode.FILE_REPLACED, 0, 3))));
        assertEquals(EntryStatus.STALE, EntryStatus.of(entry(0, 3), List.of(finding(Severity.WARNING, FindingCode.FILE_DELETED, 0, 3))));
    }

    @Test
    void aTempLibraryUnlinkedOnPurposeStaysOk() {
        assertEquals(EntryStatus.OK, EntryStatus.of(entry(0, 3), List.of(finding(Severity.INFO, FindingCode.FILE_DELETED, 0, 3))));
    }

    @Test
    void otherWarningsDoNotMakeItStale() {
        assertEquals(EntryStatus.OK, EntryStatus.of(entry(0, 3), List.of(finding(Severity.WARNING, FindingCode.MAPPING_PAST_EOF, 0, 3))));
    }

    @Test
    void onlyFindingsForThisNamespaceAndIndexCount() {
        List<Finding> f = List.of(finding(Severity.CRITICAL, FindingCode.SONAME_UNMAPPED, 1, 3),
                finding(Severity.CRITICAL, FindingCode.SONAME_UNMAPPED, 0, 4),
                Finding.of(Severity.CRITICAL, FindingCode.LINK_CHAIN_BROKEN).message("no entry").build());
        assertEquals(EntryStatus.OK, EntryStatus.of(entry(0, 3), f));
    }
}
