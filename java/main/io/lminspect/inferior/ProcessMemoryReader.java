package io.lminspect.inferior;

import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads a live process's memory without stopping it: batched process_vm_readv
 * through the native helper, or /proc/PID/mem from Java when the helper is absent.
 */
final class ProcessMemoryReader {
    private final int pid;
    private NativeHelper helper;
    private boolean helperAsked;
    private FileChannel procMem;
    private long calls;

    ProcessMemoryReader(int pid) {
        this.pid = pid;
    }

    long calls() { return calls; }

    /** The native read under way (first address and bytes asked), for a report when it never returns. */
    private volatile long inFlightAddress, inFlightBytes, inFlightSince;

    String inFlight() {
        long since = inFlightSince;
        if (since == 0) return null;
        return "a read of " + inFlightBytes + " bytes at " + io.lminspect.util.Hex.of(inFlightAddress) + " has not returned for "
                + (System.nanoTime() - since) / 1_000_000 + " ms";
    }

    void read(List<ReadRequest> batch) {
        if (batch.isEmpty()) return;
        // asked on the first read, not when the target is opened: the helper may still be loading
        if (!helperAsked) {
            helper = NativeHelper.Holder.get();
            helperAsked = true;
        }
        if (helper != null) readNative(batch);
        else readProcMem(batch);
    }

    private void readNative(List<ReadRequest> batch) {
        int n = batch.size();
        long[] addrs = new long[n], lens = new long[n], got = new long[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            addrs[i] = batch.get(i).address;
            lens[i] = batch.get(i).data.length;
            total += lens[i];
        }
        if (total > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("read batch too large");
        byte[] buf = new byte[(int) total];
        calls += (n + 1023) / 1024;
        inFlightAddress = addrs[0];
        inFlightBytes = total;
        inFlightSince = System.nanoTime();
        long r;
        try {
            r = helper.lmh_read_batch(pid, addrs, lens, n, buf, got, 0);
        } finally {
            inFlightSince = 0;
        }
        if (r < 0) {
            int e = (int) -r;
            if (e == Errno.ENOSYS) {   // kernel without CONFIG_CROSS_MEMORY_ATTACH
                readProcMem(batch);
                return;
            }
            throw failure(e);
        }
        int off = 0;
        for (int i = 0; i < n; i++) {
            ReadRequest q = batch.get(i);
            q.got = got[i] < 0 ? -1 : (int) got[i];
            if (q.got > 0) System.arraycopy(buf, off, q.data, 0, q.got);
            off += q.data.length;
        }
    }

    private void readProcMem(List<ReadRequest> batch) {
        try {
            if (procMem == null) procMem = FileChannel.open(Path.of("/proc", Integer.toString(pid), "mem"), StandardOpenOption.READ);
        } catch (java.nio.file.AccessDeniedException e) {
            throw failure(Errno.EPERM);
        } catch (IOException e) {
            throw failure(Errno.ESRCH);
        }
        for (ReadRequest q : batch) {
            calls++;
            int done = 0;
            try {
                while (done < q.data.length) {
                    int r = procMem.read(ByteBuffer.wrap(q.data, done, q.data.length - done), q.address + done);
                    if (r <= 0) break;
                    done += r;
                }
            } catch (IOException e) {
                // an unreadable page: keep what was read
            }
            q.got = done > 0 || q.data.length == 0 ? done : -1;
        }
    }

    private InspectException failure(int errno) {
        if (errno == Errno.EPERM || errno == Errno.EACCES)
            return new InspectException(Failure.PERMISSION, "reading the memory of process " + pid);
        if (errno == Errno.ESRCH) return new InspectException(Failure.PROCESS_EXITED, pid);
        return new InspectException(Failure.IO_ERROR, "read the memory of process " + pid, Errno.name(errno));
    }

    void close() {
        if (procMem != null) {
            try {
                procMem.close();
            } catch (IOException ignored) {
                // nothing was written
            }
        }
    }
}
