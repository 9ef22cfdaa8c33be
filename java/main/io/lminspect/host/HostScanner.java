package io.lminspect.host;

import io.lminspect.check.Checks;
import io.lminspect.check.Inspection;
import io.lminspect.linker.ElfCache;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    private final java.util.Map<io.lminspect.inferior.FileId, io.lminspect.inferior.FileFacts> mappedFacts = new java.util.concurrent.ConcurrentHashMap<>();
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
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lminspect-scan");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<T>> futures = new ArrayList<>(pids.size());
            for (int pid : pids) futures.add(pool.submit(() -> {
                T r = fold.apply(scanOne(pid));
                progress.accept(done.incrementAndGet());
                return r;
            }));
            List<T> out = new ArrayList<>(pids.size());
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (Exception e) {
                    out.add(fold.apply(ScanResult.skipped(pids.get(i), "internal error: " + e.getCause(), ScanResult.SkipKind.UNREAD)));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
            cache.close();
        }
    }

    ScanResult scanOne(int pid) {
        try (LiveProcess p = LiveProcess.open(pid, services.lineage(), mappedFacts)) {
            Inspection in = Inspection.run(p, cache, Checks.all(), thorough);
            // who it belongs to, read before the same-process check: a reused PID must not lend its unit
            Service service = services.resolve(pid);
            if (!p.stillSameProcess()) return ScanResult.skipped(pid, EXITED_WHILE_READ, ScanResult.SkipKind.EXITED);
            return ScanResult.inspected(pid, in, service);
        } catch (InspectException e) {
            // LiveProcess.open reads /proc/PID/stat first and refuses a kernel thread, before any other read
            if (e.failure() == Failure.KERNEL_THREAD) return ScanResult.skipped(pid, "kernel thread", ScanResult.SkipKind.KERNEL_THREAD);
            boolean gone = e.failure() == Failure.NO_SUCH_PROCESS || e.failure() == Failure.PROCESS_EXITED;
            return ScanResult.skipped(pid, skipReason(e), gone ? ScanResult.SkipKind.EXITED : ScanResult.SkipKind.UNREAD);
        }
    }

    /** A process that exits mid-scan is the normal case of a scan, said briefly; anything else keeps its message. */
    static String skipReason(InspectException e) {
        return switch (e.failure()) {
            case NO_SUCH_PROCESS -> "exited before it was read";
            case PROCESS_EXITED -> EXITED_WHILE_READ;
            default -> e.getMessage();
        };
    }
}
