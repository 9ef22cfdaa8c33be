package io.lminspect.watch;

import io.lminspect.inferior.Errno;
import io.lminspect.inferior.NativeHelper;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

/**
 * The watch's notification sources: fanotify (one mark per filesystem, names the
 * writer) when the kernel allows it, inotify (one watch per directory) where it does
 * not, and why fanotify was refused. Opened before the first index, settled after
 * it: since 5.13 an unprivileged fanotify_init succeeds but no filesystem mark does.
 */
final class Sources {
    private final NativeHelper h;
    private volatile FanotifySource fan;
    private final InotifySource ino;
    private String refusal = "";

    private Sources(NativeHelper h, FanotifySource fan, InotifySource ino, String refusal) {
        this.h = h;
        this.fan = fan;
        this.ino = ino;
        this.refusal = refusal;
    }

    /** Opens both (fanotify unless refuseFanotify); throws (exit 3) when neither opens. */
    static Sources open(NativeHelper h, boolean refuseFanotify) {
        FanotifySource fan = null;
        String refusal;
        if (refuseFanotify) {
            refusal = "fanotify refused on request";
        } else {
            Opened<FanotifySource> f = FanotifySource.open(h);
            fan = f.source();
            refusal = f.ok() ? "" : "fanotify refused: " + errno(f.negErrno()) + (f.negErrno() == -1 ? ", needs CAP_SYS_ADMIN" : "");
        }
        Opened<InotifySource> i = InotifySource.open(h);
        if (fan == null && !i.ok())
            throw new InspectException(Failure.IO_ERROR, "watch files", refusal + "; inotify refused: " + errno(i.negErrno()));
        return new Sources(h, fan, i.source(), refusal);
    }

    /** After the first index: fanotify that marked no filesystem is closed (inotify did the work), or the watch cannot start. */
    void settle() {
        if (fan == null || fan.marks() > 0) return;
        int err = fan.lastMarkError();
        refusal = "fanotify refused: " + (err != 0 ? "FAN_MARK_FILESYSTEM " + errno(err) : "no file handle for any mapped file")
                + (err == -1 || err == 0 ? ", needs CAP_SYS_ADMIN" : "");
        fan.close();
        fan = null;
        if (ino == null) throw new InspectException(Failure.IO_ERROR, "watch files", refusal + "; inotify refused");
    }

    FanotifySource fanotify() {
        return fan;
    }

    InotifySource inotify() {
        return ino;
    }

    NativeHelper helper() {
        return h;
    }

    String mechanism() {
        return fan != null ? "fanotify" : "inotify";
    }

    /** Why fanotify is not in use ("" when it is). */
    String refusal() {
        return refusal;
    }

    /** How the files are covered, for the text announcement. */
    String detail() {
        return fan != null
                ? fan.marks() + " filesystem(s) marked" + (ino != null && ino.watches() > 0 ? ", inotify on " + ino.watches() + " directories where fanotify cannot mark" : "")
                : refusal + ": inotify on " + ino.watches() + " directories";
    }

    static String errno(int negErrno) {
        return Errno.name(-negErrno);
    }
}
