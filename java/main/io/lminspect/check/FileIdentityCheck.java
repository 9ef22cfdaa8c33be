package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.inferior.PackageOwners;
import io.lminspect.inferior.FileFacts;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.util.Plain;
import io.lminspect.util.Hex;

import java.util.Optional;

/**
 * FILE_REPLACED and FILE_DELETED: the path a mapping came from names another
 * inode now (a package update's rename), or nothing at all. Judged on the
 * target's own filesystem view (/proc/PID/root), so containers work.
 */
public final class FileIdentityCheck implements Check {
    @Override
    public void run(Inspection in) {
        if (!in.target().isLive()) {
            in.note("file identity (replaced/deleted/rewritten) needs the live filesystem: not judged for a core");
            return;
        }
        for (MappedFile f : MappedFile.of(in)) {
            Optional<FileFacts> today = in.target().statPathToday(f.realPath());
            if (today.isEmpty()) continue; // cannot see the path: say nothing rather than guess
            FileFacts t = today.get();
            if (t.sameInode(f.id())) continue;
            String object = f.object() != null ? f.object().displayName() : f.realPath();
            Finding.Builder b;
            if (t.exists()) {
                b = Finding.of(Severity.WARNING, FindingCode.FILE_REPLACED)
                        .message(f.realPath() + " now names inode " + t.id().inode() + "; the process still maps the old inode " + f.id().inode()
                                + (f.deleted() ? " (deleted)" : ""))
                        .consequence(f.object() != null
                                ? "the process runs the old code; a new dlopen() loads new dependencies from disk next to the old ones loaded (which may need symbol versions the old copy lacks)"
                                : "the process keeps using the old contents until it restarts")
                        .remedy("restart the process to pick up the new file");
                if (!MappedFile.stripRpmSuffix(f.mappedPath()).equals(f.mappedPath()))
                    b.evidence("mapped under the package manager's temporary name " + f.mappedPath());
            } else {
                // the path is gone; the inode is deleted only when no name is left for it anywhere
                Optional<FileFacts> mapped = in.target().statMapped(f.first());
                boolean unlinked = mapped.isPresent() && mapped.get().links() >= 0 ? mapped.get().unlinked() : f.deleted();
                if (!unlinked) {
                    in.note("not judged: " + f.realPath() + " is mapped but not visible at that path from the process's root,"
                            + " and its inode still has a name elsewhere");
                    continue;
                }
                b = deleted(in, f, mapped.orElse(null));
            }
            b.object(object).mapped(f.mappedPath(), f.id()).address(f.first().start());
            if (f.object() != null) b.entry(f.object().entry().namespace(), f.object().entry().index());
            in.add(b.build());
        }
    }

    /**
     * FILE_DELETED, its severity by evidence. A library the process created after it started
     * (its inode's birth time) and then unlinked is the JNI extraction pattern: info, in any
     * directory. A loaded library that existed before the process (born earlier, or no birth
     * time and outside temp dirs) is a warning: a restart would not find it. "Reinstall the
     * package" only when a package owns the path (dpkg's lists in the target's root).
     */
    private static Finding.Builder deleted(Inspection in, MappedFile f, FileFacts mapped) {
        boolean loaded = f.object() != null;
        long start = in.target().identity().startEpochMillis();
        boolean born = mapped != null && mapped.bornMillis() > 0 && start > 0;
        boolean ownCopy = ownCopy(mapped, start);
        boolean temp = !born && inTempDir(f.realPath());
        boolean lost = loaded && !ownCopy && !temp;
        boolean packaged = lost && in.target() instanceof LiveProcess lp && PackageOwners.owned(lp.rootPath("/"), f.realPath());
        Finding.Builder b = Finding.of(lost ? Severity.WARNING : Severity.INFO, FindingCode.FILE_DELETED)
                .message(f.realPath() + " (inode " + f.id().inode() + ") was deleted and nothing replaced it");
        if (ownCopy) {
            b.evidence("the inode was created " + Plain.utc(mapped.bornMillis()) + ", after the process started "
                    + Plain.utc(start) + ": the process extracted it, loaded it and unlinked it (as JNA, netty and zstd-jni do)")
                    .consequence("harmless: the process keeps its own copy").remedy("none needed");
        } else if (temp) {
            b.consequence("a library unpacked to a temporary directory and unlinked on purpose (as JNA does): harmless")
                    .remedy("none needed");
        } else if (lost) {
            if (born) b.evidence("the inode was created " + Plain.utc(mapped.bornMillis()) + ", before the process started");
            if (packaged) b.evidence("a package owns " + f.realPath() + " (dpkg's file lists)");
            b.consequence("the process runs code no file on disk holds any more; a restart would not find it")
                    .remedy(packaged ? "restart the process once the file is back (reinstall the package)"
                            : "restart the process once the file is back (no package owns the path: redeploy it)");
        } else {
            b.consequence("the process keeps the deleted contents until it unmaps them").remedy("none needed");
        }
        return b;
    }

    /**
     * The process created the mapped inode itself (a JVM extracting its JNI library): born strictly after
     * the start, past the clock's uncertainty — a file copied just before the process started is not its own.
     */
    static boolean ownCopy(FileFacts mapped, long startMillis) {
        return mapped != null && mapped.bornMillis() > 0 && startMillis > 0 && mapped.bornMillis() > startMillis + CLOCK_SLACK_MS;
    }

    /** A start time is known to a clock tick (10 ms); a JVM extracts its JNI libraries 100s of ms after it starts. */
    static final long CLOCK_SLACK_MS = 20;

    /** Temp dirs, and JNA's own extraction dir (~/.cache/JNA/temp), where unlinking a loaded library is deliberate. */
    static boolean inTempDir(String path) {
        String tmp = System.getenv("TMPDIR");
        return path.startsWith("/tmp/") || path.startsWith("/var/tmp/") || path.startsWith("/dev/shm/") || path.contains("/JNA/temp/")
                || (tmp != null && !tmp.isEmpty() && path.startsWith(tmp.endsWith("/") ? tmp : tmp + "/"));
    }
}
