package io.lminspect.inferior;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The helper's per-process calls bound by JNA's direct mapping: a static native method's
 * arguments are converted by its signature, where Function.invoke checks each argument's
 * type through JNI (a host scan makes ~15 such calls per process; docs/benchmarks.md).
 */
final class DirectCalls {
    private DirectCalls() {}

    /** Binds the methods below to the loaded helper (~15 ms cold); called once, by FunctionHelper.preferDirectCalls. */
    static void bind(NativeLibrary lib) {
        Native.register(DirectCalls.class, lib);
    }

    static native long lmh_read_batch(int pid, long[] addrs, long[] lens, int n, byte[] buf, long[] got, int useProcMem);

    static native int lmh_stat_batch(byte[] names, int[] offsets, int n, int follow, long[] out);

    static native int lmh_proc_files(int pid, byte[] names, int n, com.sun.jna.Pointer out, int cap, long[] lens);

    static native long lmh_boot_epoch_ns();

    static native int lmh_pidfd_open(int pid);

    static native int lmh_pidfd_exited(int fd);

    static native int lmh_close(int fd);
}
