package io.lminspect.inferior;

/**
 * A pidfd: a handle on one process, not on its PID. Taken before a process's first read, it
 * answers "is this still the process we read" with one poll (readable once every thread has
 * exited), where the PID alone needs /proc/PID/stat read again and its start time compared.
 * Empty (exited() null) without the helper (or before it has loaded: an attach does not wait for
 * it) or on a kernel without pidfd_open (before 5.3):
 * then LiveProcess compares start times, as before.
 */
final class PidFd {
    private static final PidFd NONE = new PidFd(null, -1);

    private final NativeHelper helper;
    private int fd;

    private PidFd(NativeHelper helper, int fd) {
        this.helper = helper;
        this.fd = fd;
    }

    static PidFd open(int pid) {
        NativeHelper h = NativeHelper.Holder.ifLoaded(); // not waited for: without it, start times answer
        if (h == null) return NONE;
        int fd = h.lmh_pidfd_open(pid);
        return fd < 0 ? NONE : new PidFd(h, fd);
    }

    /** True once the process has exited, false while it runs, null when this handle cannot say. */
    synchronized Boolean exited() {
        if (fd < 0) return null;
        int r = helper.lmh_pidfd_exited(fd);
        return r < 0 ? null : r == 1;
    }

    synchronized void close() {
        if (fd >= 0) helper.lmh_close(fd);
        fd = -1;
    }
}
