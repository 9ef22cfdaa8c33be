package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.linker.LinkMapEntry;

import java.util.List;

/**
 * What one link_map entry's row says: derived from the findings, never stored
 * on the entry, so the walk's result stays what was read.
 */
public enum EntryStatus {
    OK("ok"), CORRUPT("corrupt"), STALE("stale");

    public final String json;

    EntryStatus(String json) {
        this.json = json;
    }

    /**
     * An entry with a critical finding is corrupt (what the walk itself found wrong,
     * an l_prev that disagrees or an l_next that cannot be read, reaches it as a critical
     * LINK_CHAIN_BROKEN); one whose file was replaced or deleted (and needs a restart) is
     * stale. A temp library unlinked on purpose has only an info finding: it stays ok.
     */
    public static EntryStatus of(LinkMapEntry e, List<Finding> findings) {
        EntryStatus s = OK;
        for (Finding f : findings) {
            if (f.entry() == null || f.namespace() == null || f.namespace() != e.namespace() || f.entry() != e.index()) continue;
            if (f.severity() == Severity.CRITICAL) return CORRUPT;
            if ((f.code() == FindingCode.FILE_REPLACED || f.code() == FindingCode.FILE_DELETED) && f.severity() != Severity.INFO)
                s = STALE;
        }
        return s;
    }
}
