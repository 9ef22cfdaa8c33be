package io.lminspect.host;

import io.lminspect.check.Checks;
import io.lminspect.check.Inspection;
import io.lminspect.linker.ElfCache;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.util.Budgets;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Inspects many processes in parallel without stopping any of them. One
 * ElfCache serves the whole scan (libc is parsed once, not once per process).
 * A process that exits, or whose PID is reused, mid-scan is skipped, never
 * reported under another's name (rule 4).
 */
public final class HostScanner {
    private static final String EXITED_WHILE_READ = "exited (or its PID was reused) while it was read";
    private final ElfCache cache = new ElfCache();
    private final ServiceResolver services = new ServiceResolver();
    /** Stats of mapped inodes, taken once per scan (LiveProcess.open). */
    /** Stats shared by the scan's processes: mapped inodes, and paths as the host's root shows them. */
    private final io.lminspect.inferior.ScanStats scanStats = new io.lminspect.inferior.ScanStats();
    private final int threads;
    private final boolean thorough;

    /** thorough: deep memory comparisons on every object (see Inspection.deepCheck). */
    public HostScanner(int threads, boolean thorough) {
        this.threads = Math.max(1, threads);
        this.thorough = thorough;
    }

    public List<ScanResult> scan(List<Integer> pids, IntConsumer progress) {
        return scan(pids, progress, r -> r);
    }

    /**
     * Scans and folds each result as it comes, on the worker that made it: the inspection
     * (its memory views, parsed entries, caches) is garbage as soon as fold has taken what it
     * needs, so the scan's memory follows what is kept, not the number of processes.
     */
    public <T> List<T> scan(List<Integer> pids, IntConsumer progress, java.util.function.Function<ScanResult, T> fold) {
        if (pids.size() >= DIRECT_CALLS_FROM) io.lminspect.inferior.NativeHelper.Holder.preferDirectCallsInBackground();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "lminspect-scan");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<T>> futures = new ArrayList<>(pids.size());
            List<Slot> slots = new ArrayList<>(pids.size());
            for (int pid : pids) {
                Slot slot = new Slot();
                slots.add(slot);
                futures.add(pool.submit(() -> {
                    T r = fold.apply(scanOne(pid, slot));
                    slot.process = null; // folded: the slot, kept to the end of the scan, must not keep the process's memory alive
                    progress.accept(done.incrementAndGet());
                    return r;
                }));
            }
            List<T> out = new ArrayList<>(pids.size());
            for (int i = 0; i < futures.size(); i++) out.add(await(futures.get(i), slots.get(i), pids.get(i), pool, fold));
            return out;
        } finally {
            pool.shutdownNow();
            cache.close();
        }
    }

    /** From this many processes on, the helper's direct binding (~15 ms, on its own thread) pays for itself. */
    static final int DIRECT_CALLS_FROM = 64;

    /** What a worker is inspecting, and since when (0: not started): the scan's watchdog reads it. */
    private static final class Slot {
        volatile long startedNanos;
        volatile LiveProcess process;
    }

    /**
     * A process's result, within Budgets.DEADLINE_MS of the moment its inspection started (rule 7).
     * Past it, the process is INSPECTION_CUT (naming the read under way), its worker is abandoned
     * (a daemon, blocked in the kernel) and the pool gets one thread more to take its place.
     */
    private <T> T await(Future<T> f, Slot slot, int pid, ThreadPoolExecutor pool, java.util.function.Function<ScanResult, T> fold) {
        try {
            while (true) {
                long started = slot.startedNanos;
                long wait = started == 0 ? 100 : Budgets.DEADLINE_MS - (System.nanoTime() - started) / 1_000_000;
                try {
                    return f.get(Math.max(wait, 0), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (started == 0) continue; // still queued behind other processes
                    f.cancel(true);
                    pool.setMaximumPoolSize(pool.getMaximumPoolSize() + 1);
                    pool.setCorePoolSize(pool.getCorePoolSize() + 1);
                    LiveProcess p = slot.process;
                    return fold.apply(p == null
                            ? ScanResult.skipped(pid, "did not answer within " + Budgets.DEADLINE_MS + " ms while it was opened", ScanResult.SkipKind.UNREAD)
                            : ScanResult.inspected(pid, Inspection.pastDeadline(p), null));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fold.apply(ScanResult.skipped(pid, "interrupted", ScanResult.SkipKind.UNREAD));
        } catch (Exception e) {
            return fold.apply(ScanResult.skipped(pid, "internal error: " + e.getCause(), ScanResult.SkipKind.UNREAD));
        }
    }

    ScanResult scanOne(int pid) {
        return scanOne(pid, new Slot());
    }

    private ScanResult scanOne(int pid, Slot slot) {
        slot.startedNanos = System.nanoTime();
        try (LiveProcess p = LiveProcess.open(pid, services.lineage(), scanStats)) {
            slot.process = p;
            Inspection in = Inspection.runHere(p, cache, Checks.all(), thorough); // bounded by await()
            // who it belongs to, read before the same-process check: a reused PID must not lend its unit
            Service service = services.resolve(pid, p.cgroupAtOpen());
            if (!p.stillSameProcess()) return ScanResult.skipped(pid, EXITED_WHILE_READ, ScanResult.SkipKind.EXITED);
            return ScanResult.inspected(pid, in, service);
        } catch (InspectException e) {
            // LiveProcess.open reads /proc/PID/stat first and refuses a kernel thread, before any other read
            if (e.failure() == Failure.KERNEL_THREAD) return ScanResult.skipped(pid, "kernel thread", ScanResult.SkipKind.KERNEL_THREAD);
            boolean gone = e.failure() == Failure.NO_SUCH_PROCESS || e.failure() == Failure.PROCESS_EXITED;
            return ScanResult.skipped(pid, skipReason(e), gone ? ScanResult.SkipKind.EXITED : ScanResult.SkipKind.UNREAD);
        }
    }

    private static final boolean ROOT = "0".equals(readUid());

    /** The cause without its "(what to do)" part. */
    private static String withoutHint(String message) {
        int p = message.indexOf(" (");
        return p > 0 ? message.substring(0, p) : message;
    }

    private static String readUid() {
        try {
            return String.valueOf(java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid"));
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /** A process that exits mid-scan is the normal case of a scan, said briefly; anything else keeps its message. */
    static String skipReason(InspectException e) {
        return switch (e.failure()) {
            case NO_SUCH_PROCESS -> "exited before it was read";
            case PROCESS_EXITED -> EXITED_WHILE_READ;
            // as root "run as root" is no advice: say what can refuse root
            case PERMISSION -> ROOT ? withoutHint(e.getMessage()) + ", even to root (a kernel.yama.ptrace_scope of 3, a security module's "
                    + "policy, or a process the kernel protects such as a VM's init)" : e.getMessage();
            default -> e.getMessage();
        };
    }
}
