package io.lminspect.watch;

import io.lminspect.inferior.FileId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a storm of notifications into one look per file. A file's window closes
 * {@link #QUIET_NS} after its last notification, {@link #SETTLE_NS} after one that
 * says the writer is done (close after write, rename, delete), and at most
 * {@link #MAX_HOLD_NS} after its first; and a file is looked at again no sooner than
 * {@link #COOLDOWN_NS} after its last look. So 500 writes in a second give one or
 * two events, not 500. Holds at most one window per indexed file.
 */
final class Coalescer {
    static final long QUIET_NS = 150_000_000L;
    static final long SETTLE_NS = 15_000_000L;
    static final long MAX_HOLD_NS = 1_000_000_000L;
    static final long COOLDOWN_NS = 1_000_000_000L;

    /** The notifications of one file since its window opened; first is when the first was read (for latency). */
    /** writer: the first writer the kernel named in the window (null: none named, or the source cannot name one). */
    record Window(FileId key, long firstNanos, long lastNanos, int flags, io.lminspect.report.model.Writer writer, String writerUnknown) {}

    private final Map<FileId, Window> pending = new HashMap<>();
    private final Map<FileId, Long> lastLook = new HashMap<>();

    synchronized void offer(FileId k, int flags, long now) {
        offer(k, flags, now, null, null);
    }

    /** writer, or why there is none: kept from the first notification that named one (or said why not). */
    synchronized void offer(FileId k, int flags, long now, io.lminspect.report.model.Writer writer, String writerUnknown) {
        Window w = pending.get(k);
        if (w == null) pending.put(k, new Window(k, now, now, flags, writer, writerUnknown));
        else {
            boolean keep = w.writer != null || writer == null;
            pending.put(k, new Window(k, w.firstNanos, now, w.flags | flags, keep ? w.writer : writer,
                    keep ? (w.writerUnknown != null ? w.writerUnknown : writerUnknown) : null));
        }
        notifyAll();
    }

    /** Whether a window for k already knows its writer (the reader need not look the pid up again). */
    synchronized boolean knowsWriter(FileId k) {
        Window w = pending.get(k);
        return w != null && w.writer != null;
    }

    private long due(Window w) {
        long due = Math.min(w.lastNanos + QUIET_NS, w.firstNanos + MAX_HOLD_NS);
        if ((w.flags & Hint.SETTLED) != 0) due = Math.min(due, w.lastNanos + SETTLE_NS);
        if ((w.flags & Hint.SWEEP) != 0) due = w.firstNanos;
        Long last = lastLook.get(w.key);
        if (last != null) due = Math.max(due, last + COOLDOWN_NS);
        return due;
    }

    /** The windows that are due, waiting up to maxWaitNs for one; empty when none came due. */
    synchronized List<Window> awaitDue(long maxWaitNs) throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitNs;
        for (;;) {
            long now = System.nanoTime();
            List<Window> out = new ArrayList<>();
            long next = Long.MAX_VALUE;
            for (Iterator<Window> it = pending.values().iterator(); it.hasNext(); ) {
                Window w = it.next();
                long d = due(w);
                if (d <= now) {
                    out.add(w);
                    it.remove();
                } else {
                    next = Math.min(next, d);
                }
            }
            if (!out.isEmpty()) {
                for (Window w : out) lastLook.put(w.key, now);
                lastLook.values().removeIf(t -> t + COOLDOWN_NS < now); // bounded: only files looked at in the last second
                return out;
            }
            long wait = Math.min(next, deadline) - now;
            if (wait <= 0) return out;
            wait(Math.max(1, wait / 1_000_000), (int) (wait % 1_000_000));
        }
    }

    synchronized int pendingCount() {
        return pending.size();
    }
}
