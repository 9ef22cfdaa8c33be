package io.lminspect.support;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * A child JVM that dies the two ways a JVM service dies of a file changed under it, and
 * leaves HotSpot's fatal error log (run it with -XX:ErrorFile=DIR/hs_err_pid%p.log):
 * <ul>
 *   <li>{@code overwrite LIB OTHER}: System.load(LIB), prints "ready PID", waits for a line on
 *       stdin (the test overwrites LIB in place meanwhile, as a second JVM extracting the same
 *       fixed-name library does), then System.load(OTHER): ld.so crashes in strcmp;</li>
 *   <li>{@code truncate FILE}: maps FILE shared through libc's mmap (as JNA or JNI code does,
 *       LMDB, RocksDB), prints "ready PID", waits for a line (the test truncates FILE), then reads
 *       the mapping's last page from native code: SIGBUS.</li>
 * </ul>
 */
public final class HsErrCrasher {
    private HsErrCrasher() {}

    public interface LibC extends com.sun.jna.Library {
        Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        int open(String path, int flags);
    }

    public static void main(String[] a) throws Exception {
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        if (a[0].equals("overwrite")) {
            System.load(a[1]);
            System.out.println("ready " + ProcessHandle.current().pid());
            in.readLine();
            System.load(a[2]);
            System.out.println("survived");
        } else if (a[0].equals("truncate")) {
            LibC c = Native.load("c", LibC.class);
            long len = new java.io.File(a[1]).length();
            int fd = c.open(a[1], 0 /* O_RDONLY */);
            Pointer p = c.mmap(null, len, 1 /* PROT_READ */, 1 /* MAP_SHARED */, fd, 0);
            System.out.println("ready " + ProcessHandle.current().pid());
            in.readLine();
            System.out.println("read " + p.getByte(len - 1)); // native read past the new end: SIGBUS
        }
    }

}
