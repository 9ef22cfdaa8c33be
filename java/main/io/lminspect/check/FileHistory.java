package io.lminspect.check;

import io.lminspect.inferior.FileFacts;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Target;

import java.util.List;
import java.util.Optional;

/**
 * What happened to a mapped file since the process mapped it, judged from the
 * path as the target sees it today: same inode or another one (replaced), gone
 * (deleted), written after the process started (mtime/ctime), shorter than the
 * mappings (pages past EOF).
 */
public record FileHistory(String path, FileFacts today, boolean sameInode, boolean replaced, boolean deletedNoReplacement,
                          boolean writtenAfterStart, long changeMillis, long pastEofPages, Mapping pastEofMapping,
                          boolean contentTimeBeforeStart) {

    /** The start time is known to 10 ms (clock ticks) and the boot time to ~10 ms: a change this close is not "after". */
    static final long START_SLACK_MS = 50;

    static FileHistory of(Target t, Mapping first, List<Mapping> mappings) {
        String path = t.processView(first.path());
        Optional<FileFacts> f = t.statPathToday(path);
        if (f.isEmpty()) return new FileHistory(path, null, false, false, false, false, 0, 0, null, false);
        FileFacts today = f.get();
        boolean same = today.sameInode(first.fileId());
        boolean replaced = today.exists() && !same;
        boolean deleted = !today.exists();
        long start = t.identity().startEpochMillis();
        long change = Math.max(today.mtimeMillis(), today.ctimeMillis());
        boolean after = same && start > 0 && change > start + START_SLACK_MS;
        // only the inode's change time moved: a new hard link, chmod or chown changes nothing the process maps,
        // and a copy that put the old mtime back (cp -p, rsync -t) changes everything: memory decides which
        boolean contentBefore = after && today.mtimeMillis() <= start + START_SLACK_MS;
        long pages = 0;
        Mapping worst = null;
        if (same) {
            for (Mapping m : mappings) {
                // ld.so's PROT_NONE gaps between segments of a 64 KiB / 2 MiB-aligned object carry file
                // offsets past EOF by construction; no access there reads the file (SIGSEGV, never SIGBUS)
                if (!m.readable() && !m.writable() && !m.executable()) continue;
                long p = pagesPastEof(m, today.size());
                if (p > pages) {
                    pages = p;
                    worst = m;
                }
            }
        }
        return new FileHistory(path, today, same, replaced, deleted, after, change, pages, worst, contentBefore);
    }

    /** Pages of a file mapping that lie wholly past the file's end today (touching them raises SIGBUS). */
    public static long pagesPastEof(Mapping m, long fileSize) {
        if (fileSize < 0) return 0;
        long eofPage = (fileSize + Mapping.PAGE - 1) & ~(Mapping.PAGE - 1);
        long mapEnd = m.offset() + m.size();
        if (mapEnd <= eofPage) return 0;
        long from = Math.max(m.offset(), eofPage);
        return (mapEnd - from) / Mapping.PAGE;
    }
}
