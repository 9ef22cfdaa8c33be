package io.lminspect.check;

import io.lminspect.inferior.FileFacts;
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
                if (!f.mappedPath().equals(f.realPath())) b.evidence("mapped under the package manager's temporary name " + f.mappedPath());
            } else {
                boolean loaded = f.object() != null;
                boolean temp = inTempDir(f.realPath());
                Severity s = loaded && !temp ? Severity.WARNING : Severity.INFO;
                b = Finding.of(s, FindingCode.FILE_DELETED)
                        .message(f.realPath() + " (inode " + f.id().inode() + ") was deleted and nothing replaced it")
                        .consequence(loaded && !temp ? "the process runs code no file on disk holds any more; a restart would not find it"
                                : temp ? "a library unpacked to a temporary directory and unlinked on purpose (as JNA does): harmless"
                                : "the process keeps the deleted contents until it unmaps them")
                        .remedy(loaded && !temp ? "restart the process once the file is back (reinstall the package)" : "none needed");
            }
            b.object(object).mappingPath(f.mappedPath()).address(Hex.of(f.first().start()));
            if (f.object() != null) b.entry(f.object().entry().namespace(), f.object().entry().index());
            in.add(b.build());
        }
    }

    /** Temp dirs, and JNA's own extraction dir (~/.cache/JNA/temp), where unlinking a loaded library is deliberate. */
    static boolean inTempDir(String path) {
        String tmp = System.getenv("TMPDIR");
        return path.startsWith("/tmp/") || path.startsWith("/var/tmp/") || path.startsWith("/dev/shm/") || path.contains("/JNA/temp/")
                || (tmp != null && !tmp.isEmpty() && path.startsWith(tmp.endsWith("/") ? tmp : tmp + "/"));
    }
}
