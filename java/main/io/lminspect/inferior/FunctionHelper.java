package io.lminspect.inferior;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The helper called through JNA's Function API: the C functions an inspection calls are
 * looked up when the library is bound, the watch's when called, and each is invoked with
 * its arguments. Native.load would make a proxy class and describe
 * every method by reflection, which on a cold JVM costs ~20 ms more (docs/benchmarks.md).
 * A host scan's per-process calls switch to JNA's direct mapping once it is bound
 * ({@link #preferDirectCalls}: ~15 ms of registration, worth it over thousands of processes,
 * not for one attach).
 */
final class FunctionHelper implements NativeHelper {
    private final NativeLibrary lib;
    /** The calls an inspection makes, looked up once (final: the helper is shared by a scan's threads). */
    private final Function regsSnapshot, openRegular, readBatch, statBatch, procFiles, close, pidfdOpen, pidfdExited, bootEpochNs;
    /** DirectCalls bound: the calls below go through them. */
    private volatile boolean direct;

    /** Binds liblmhelper.so; UnsatisfiedLinkError when it or one of its functions cannot be found. */
    FunctionHelper() {
        lib = NativeLibrary.getInstance("lmhelper");
        regsSnapshot = f("lmh_regs_snapshot");
        openRegular = f("lmh_open_regular");
        readBatch = f("lmh_read_batch");
        statBatch = f("lmh_stat_batch");
        procFiles = f("lmh_proc_files");
        close = f("lmh_close");
        pidfdOpen = f("lmh_pidfd_open");
        pidfdExited = f("lmh_pidfd_exited");
        bootEpochNs = f("lmh_boot_epoch_ns");
    }

    @Override
    public synchronized void preferDirectCalls() {
        if (direct) return;
        DirectCalls.bind(lib);
        direct = true;
    }

    private Function f(String name) {
        return lib.getFunction(name);
    }

    @Override
    public long lmh_read_batch(int pid, long[] addrs, long[] lens, int n, byte[] buf, long[] got, int useProcMem) {
        return direct ? DirectCalls.lmh_read_batch(pid, addrs, lens, n, buf, got, useProcMem)
                : readBatch.invokeLong(new Object[]{pid, addrs, lens, n, buf, got, useProcMem});
    }

    @Override
    public int lmh_regs_snapshot(int[] tids, int n, byte[] regs, int stride, int[] result, int timeoutMs, long[] pauseNs) {
        return regsSnapshot.invokeInt(new Object[]{tids, n, regs, stride, result, timeoutMs, pauseNs});
    }

    @Override
    public int lmh_abi_version() {
        return f("lmh_abi_version").invokeInt(new Object[0]);
    }

    @Override
    public int lmh_stat_batch(byte[] names, int[] offsets, int n, int follow, long[] out) {
        return direct ? DirectCalls.lmh_stat_batch(names, offsets, n, follow, out) : statBatch.invokeInt(new Object[]{names, offsets, n, follow, out});
    }

    @Override
    public int lmh_proc_files(int pid, byte[] names, int n, Pointer out, int cap, long[] lens) {
        return direct ? DirectCalls.lmh_proc_files(pid, names, n, out, cap, lens) : procFiles.invokeInt(new Object[]{pid, names, n, out, cap, lens});
    }

    @Override
    public int lmh_open_regular(String path, long dev, long ino, int followFinalLink) {
        return openRegular.invokeInt(new Object[]{path, dev, ino, followFinalLink});
    }

    @Override
    public int lmh_create_excl(String path, int mode) {
        return f("lmh_create_excl").invokeInt(new Object[]{path, mode});
    }

    @Override
    public int lmh_unignore_signal(int sig) {
        return f("lmh_unignore_signal").invokeInt(new Object[]{sig});
    }

    @Override
    public int lmh_close(int fd) {
        return direct ? DirectCalls.lmh_close(fd) : close.invokeInt(new Object[]{fd});
    }

    @Override
    public int lmh_pidfd_open(int pid) {
        return direct ? DirectCalls.lmh_pidfd_open(pid) : pidfdOpen.invokeInt(new Object[]{pid});
    }

    @Override
    public int lmh_pidfd_exited(int fd) {
        return direct ? DirectCalls.lmh_pidfd_exited(fd) : pidfdExited.invokeInt(new Object[]{fd});
    }

    @Override
    public long lmh_boot_epoch_ns() {
        return direct ? DirectCalls.lmh_boot_epoch_ns() : bootEpochNs.invokeLong(new Object[0]); // asked for each date a scan makes
    }

    @Override
    public int lmh_fan_init(int flags, int eventFFlags) {
        return f("lmh_fan_init").invokeInt(new Object[]{flags, eventFFlags});
    }

    @Override
    public int lmh_fan_mark(int fd, int flags, long mask, String path) {
        return f("lmh_fan_mark").invokeInt(new Object[]{fd, flags, mask, path});
    }

    @Override
    public int lmh_inotify_init() {
        return f("lmh_inotify_init").invokeInt(new Object[0]);
    }

    @Override
    public int lmh_inotify_add(int fd, String path, int mask) {
        return f("lmh_inotify_add").invokeInt(new Object[]{fd, path, mask});
    }

    @Override
    public int lmh_inotify_rm(int fd, int wd) {
        return f("lmh_inotify_rm").invokeInt(new Object[]{fd, wd});
    }

    @Override
    public int lmh_read_events(int fd, Pointer buf, int len, int timeoutMs) {
        return f("lmh_read_events").invokeInt(new Object[]{fd, buf, len, timeoutMs});
    }

    @Override
    public int lmh_file_fid(String path, int follow, byte[] out, int cap) {
        return f("lmh_file_fid").invokeInt(new Object[]{path, follow, out, cap});
    }
}
