package io.lminspect.inferior;

/**
 * The native helper, native/lmhelper.h, bound through JNA (FunctionHelper). Loaded once,
 * on first use or on a background thread from the start of a command that reads a
 * process (docs/benchmarks.md, "Start-up"); when it cannot be loaded (noexec temp dir,
 * missing build), readers fall back to /proc/PID/mem from Java.
 */
public interface NativeHelper {
    int ABI_VERSION = 8;

    long lmh_read_batch(int pid, long[] addrs, long[] lens, int n, byte[] buf, long[] got, int useProcMem);

    int lmh_regs_snapshot(int[] tids, int n, byte[] regs, int stride, int[] result, int timeoutMs, long[] pauseNs);

    int lmh_abi_version();

    /** Binds the per-process calls the fastest way JNA has (a host scan asks; one attach does not pay for it). */
    default void preferDirectCalls() {}

    /** stat (follow 1) or lstat of n NUL-terminated paths at names[offsets[i]]: out[9i..9i+8] = errno, dev, ino, mode, size, mtime ns, ctime ns, nlink, birth ns or -1; returns n. */
    int lmh_stat_batch(byte[] names, int[] offsets, int n, int follow, long[] out);

    int lmh_open_regular(String path, long dev, long ino, int followFinalLink);

    /** Files (and '@'-prefixed links) of /proc/PID in one call, packed into out: lens[i] = bytes or -errno; returns 0 or -errno. */
    int lmh_proc_files(int pid, byte[] names, int n, com.sun.jna.Pointer out, int cap, long[] lens);

    /** open(O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW) then fchmod(fd, mode): the fd, or -errno. */
    int lmh_create_excl(String path, int mode);

    /** SIG_IGN back to SIG_DFL (so a handler can be installed): 1 when changed, 0 when not ignored, or -errno. */
    int lmh_unignore_signal(int sig);

    int lmh_close(int fd);

    /** pidfd_open(pid): the fd or -errno. */
    int lmh_pidfd_open(int pid);

    /** 1 when the pidfd's process has exited, 0 while it runs, or -errno. */
    int lmh_pidfd_exited(int fd);

    long lmh_boot_epoch_ns();

    // watch: fanotify / inotify, thin wrappers (lmhelper.h); buffers are the caller's native memory
    int lmh_fan_init(int flags, int eventFFlags);

    int lmh_fan_mark(int fd, int flags, long mask, String path);

    int lmh_inotify_init();

    int lmh_inotify_add(int fd, String path, int mask);

    int lmh_inotify_rm(int fd, int wd);

    int lmh_read_events(int fd, com.sun.jna.Pointer buf, int len, int timeoutMs);

    int lmh_file_fid(String path, int follow, byte[] out, int cap);

    final class Holder {
        private static NativeHelper instance;
        private static String loadError;
        private static boolean tried;
        /** The helper once loaded, read without waiting for a load under way. */
        private static volatile NativeHelper loaded;

        private Holder() {}

        /**
         * The helper if it is loaded already, else null at once: for reads that Java can make as well,
         * so an attach does not wait for JNA's set-up before it reads /proc (the load overlaps those reads).
         */
        public static NativeHelper ifLoaded() {
            return loaded;
        }

        /** The helper, or null (see {@link #loadError()}). */
        public static synchronized NativeHelper get() {
            if (!tried) {
                tried = true;
                if (System.getenv("LMINSPECT_NO_NATIVE") != null) {
                    loadError = "disabled by LMINSPECT_NO_NATIVE";
                } else {
                    try {
                        // JNA would otherwise run `ldconfig -p` (a child process, ~25 ms) to learn the system's
                        // library directories; the helper is found by jna.library.path or in the jar
                        if (System.getProperty("jna.platform.library.path") == null) System.setProperty("jna.platform.library.path", "");
                        NativeHelper h = new FunctionHelper();
                        if (h.lmh_abi_version() != ABI_VERSION) loadError = "liblmhelper.so has ABI " + h.lmh_abi_version() + ", expected " + ABI_VERSION;
                        else loaded = instance = h;
                    } catch (UnsatisfiedLinkError | RuntimeException e) {
                        loadError = "cannot load liblmhelper.so: " + e.getMessage();
                    }
                }
            }
            return instance;
        }

        /**
         * Starts loading on a daemon thread, so JNA's set-up (~15 ms cold) overlaps the parsing
         * of the command line; get() waits for it.
         */
        public static void loadInBackground() {
            inBackground(Holder::get, "lminspect-native-load");
        }

        /**
         * Binds the per-process calls by JNA's direct mapping on a daemon thread (~15 ms cold):
         * a scan of many processes asks at its start and reads through Function calls until then.
         */
        public static void preferDirectCallsInBackground() {
            inBackground(() -> {
                NativeHelper h = get();
                if (h != null) h.preferDirectCalls();
            }, "lminspect-native-bind");
        }

        private static void inBackground(Runnable r, String name) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.start();
        }

        public static synchronized String loadError() {
            get();
            return loadError;
        }

        /** Forgets an override: the next get() loads the real helper again (tests). */
        public static synchronized void reset() {
            tried = false;
            loaded = null;
            instance = null;
            loadError = null;
        }

        /** Tests substitute a mock (e.g. one that answers EPERM, which a root test run cannot provoke). */
        public static synchronized void override(NativeHelper h) {
            tried = true;
            loaded = instance = h;
            loadError = h == null ? "overridden" : null;
        }
    }
}
