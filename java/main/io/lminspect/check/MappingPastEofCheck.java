package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.inferior.FileFacts;
import io.lminspect.inferior.Mapping;

import java.util.Optional;

/**
 * MAPPING_PAST_EOF (the truncated-mmap incident): a file mapping reaching past the file's current
 * end. Touching a page wholly past EOF raises SIGBUS. Whether a page was
 * already faulted would need pagemap, which stalls big processes (rule 5), so
 * severity follows the mapping's kind: critical when shared and writable.
 */
public final class MappingPastEofCheck implements Check {
    static String plural(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    @Override
    public void run(Inspection in) {
        for (MappedFile f : MappedFile.of(in)) {
            Optional<FileFacts> now = in.target().statMapped(f.first());
            if (now.isEmpty() || !now.get().regular()) continue;
            long size = now.get().size();
            for (Mapping m : f.mappings()) {
                // a PROT_NONE mapping (ld.so's gaps between segments) faults with SIGSEGV anyway, never SIGBUS
                if (!m.readable() && !m.writable() && !m.executable()) continue;
                long pages = FileHistory.pagesPastEof(m, size);
                if (pages == 0) continue;
                boolean sharedWritable = m.shared() && m.writable();
                Finding.Builder b = Finding.of(sharedWritable ? Severity.CRITICAL : Severity.WARNING, FindingCode.MAPPING_PAST_EOF)
                        .object(f.object() != null ? f.object().displayName() : f.realPath()).mapped(f.mappedPath(), f.id())
                        .address(m.start())
                        .message("mapping " + m.range() + " (" + m.perms() + ", file offset " + io.lminspect.util.Hex.of(m.offset())
                                + ", " + plural(m.size() / Mapping.PAGE, "page") + ") reaches past the file's end: the file is " + size + " bytes now, "
                                + plural(pages, "mapped page") + (pages == 1 ? " lies" : " lie") + " wholly past EOF")
                        .evidence((m.shared() ? "MAP_SHARED" : "MAP_PRIVATE") + (m.writable() ? ", writable" : ", read-only")
                                + "; the file was truncated (or rewritten shorter) after it was mapped")
                        .consequence("the first access to those pages raises SIGBUS (BUS_ADRERR) and kills the process")
                        .remedy("never truncate a file other processes map: write a new file and rename it over the old one; restart the process");
                if (f.object() != null) b.entry(f.object().entry().namespace(), f.object().entry().index());
                in.add(b.build());
            }
        }
    }
}
