package io.lminspect.watch;

import io.lminspect.host.HostMaps;
import io.lminspect.inferior.FileId;
import io.lminspect.util.Plain;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the watch's index current: the periodic rescan of every process's maps (only
 * new or changed ones re-parsed), covering newly mapped files by a live source, and the
 * sweep that looks at files no live source covers (all of them after an overflow or
 * SIGHUP) and queues those whose path changed. Runs on the scheduler thread; never
 * throws out of {@link #periodic}, or the scheduler would stop rescanning.
 */
final class Rescanner {
    private final WatchIndex index;
    private final Sources sources;
    private final Coalescer coalescer;
    private final WatchCounters counters;
    private final HostState state;
    private final WatchInspector inspector;
    private final PrintStream err;
    private final Runnable afterRescan;
    private boolean warnedFull;

    Rescanner(WatchIndex index, Sources sources, Coalescer coalescer, WatchCounters counters, HostState state,
              WatchInspector inspector, PrintStream err, Runnable afterRescan) {
        this.index = index;
        this.sources = sources;
        this.coalescer = coalescer;
        this.counters = counters;
        this.state = state;
        this.inspector = inspector;
        this.err = err;
        this.afterRescan = afterRescan;
    }

    /** The first index of the host, every file covered; throws when no source can watch. */
    void first() {
        long t0 = System.nanoTime();
        HostMaps.Refresh r = refresh(true);
        cover(r.newFiles());
        sources.settle();
        counters.lastRescanSeconds = (System.nanoTime() - t0) / 1e9;
        if (state != null) {
            inspector.refreshState(index.pids());
            state.scanned((System.nanoTime() - t0) / 1e9, System.currentTimeMillis());
        }
        counters.processes = index.processCount();
        counters.files = index.fileCount();
    }

    /** The periodic rescan (and SIGHUP's full one). */
    void periodic(boolean full) {
        try {
            long t0 = System.nanoTime();
            HostMaps.Refresh r = refresh(full);
            long t1 = System.nanoTime();
            cover(r.newFiles());
            InotifySource ino = sources.inotify();
            if (ino != null) ino.retain(index.inotifyDirs());
            long t2 = System.nanoTime();
            sweep(full, new HashSet<>(r.newFiles()));
            if (Watcher.TIMING) err.printf(Plain.LOCALE, "timing: rescan: maps %.1f ms (%d processes, %d re-indexed), cover %.1f ms (%d new files), sweep %.1f ms%n",
                    (t1 - t0) / 1e6, index.processCount(), r.changed().size(), (t2 - t1) / 1e6, r.newFiles().size(), (System.nanoTime() - t2) / 1e6);
            // the rescan proper; inspecting new and changed processes for /metrics is counted apart
            counters.lastRescanSeconds = (System.nanoTime() - t0) / 1e9;
            counters.lastRescanChanged = r.changed().size();
            if (state != null) {
                for (int pid : r.gone()) state.remove(pid);
                inspector.refreshState(r.changed());
                if (full) state.scanned((System.nanoTime() - t0) / 1e9, System.currentTimeMillis());
            }
            counters.rescans.incrementAndGet();
            counters.processes = index.processCount();
            counters.files = index.fileCount();
            afterRescan.run();
        } catch (RuntimeException e) {
            err.println("lminspect watch: rescan failed: " + e + " (the next one will try again)");
        }
    }

    // --- writes to files the index has not seen ---

    /** A write to an unindexed library-like file, and who wrote it (named when it happened). */
    private record Unindexed(Fid file, Fid dir, String name, int flags, io.lminspect.report.model.Writer writer, String writerUnknown) {}

    /** At most this many writes wait for one quick rescan; more in the same second are dropped (the periodic rescan still comes). */
    static final int MAX_PENDING = 256;
    /** Quick rescans are at least this far apart: a storm of library writes costs one maps read a second, not one per write. */
    static final long QUICK_GAP_MS = 1000;

    private final java.util.LinkedHashMap<Fid, Unindexed> pending = new java.util.LinkedHashMap<>();
    private long lastQuickNanos = System.nanoTime() - QUICK_GAP_MS * 1_000_000;
    private boolean quickScheduled;

    /**
     * A library written that no indexed process maps: it may have been mapped since the last rescan
     * (a JVM extracts and loads a JNI library any time). Ask at once who maps it: a quick rescan
     * (only processes whose maps changed are parsed again), then the write is handed on as an event.
     * Returns the delay in ms before the quick rescan should run, or -1 when one is already due.
     */
    synchronized long unindexed(Fid file, Fid dir, String name, int flags, io.lminspect.report.model.Writer writer, String writerUnknown) {
        if (!pending.containsKey(file) && pending.size() >= MAX_PENDING) return -1;
        pending.putIfAbsent(file, new Unindexed(file, dir, name, flags, writer, writerUnknown));
        if (quickScheduled) return -1;
        quickScheduled = true;
        return Math.max(0, QUICK_GAP_MS - (System.nanoTime() - lastQuickNanos) / 1_000_000);
    }

    /** The quick rescan: the host's maps read again, new files covered, and the pending writes resolved to events. */
    void quick() {
        List<Unindexed> writes;
        synchronized (this) {
            writes = new ArrayList<>(pending.values());
            pending.clear();
            quickScheduled = false;
            lastQuickNanos = System.nanoTime();
        }
        try {
            long t0 = System.nanoTime();
            HostMaps.Refresh r = refresh(false);
            cover(r.newFiles());
            int resolved = 0;
            for (Unindexed w : writes) {
                FileId k = index.byFid(w.file());
                if (k == null && w.dir() != null) {
                    List<FileId> ks = index.byDirFid(w.dir(), w.name());
                    if (ks.size() == 1) k = ks.get(0);
                }
                if (k == null) continue; // nobody maps it: a library written, not loaded (yet)
                resolved++;
                // the write happened before the file was indexed: it counts as written whatever the path shows now; its
                // window opens now, unsettled, so the writer's later writes and its close (now indexed) join it
                coalescer.offer(k, (w.flags() & ~Hint.SETTLED) | Hint.MODIFIED | Hint.UNINDEXED, System.nanoTime(), w.writer(), w.writerUnknown());
            }
            counters.unindexedResolved.addAndGet(resolved);
            if (Watcher.TIMING) err.printf(Plain.LOCALE, "timing: quick rescan for %d unindexed library writes: %.1f ms, %d mapped%n",
                    writes.size(), (System.nanoTime() - t0) / 1e6, resolved);
        } catch (RuntimeException e) {
            err.println("lminspect watch: quick rescan failed: " + e + " (the periodic rescan will look again)");
        }
    }

    /** After the kernel dropped notifications: every file looked at. */
    void sweepAll() {
        sweep(true, Set.of());
    }

    private HostMaps.Refresh refresh(boolean full) {
        HostMaps.Refresh r = index.refresh(full);
        if (index.full() && !warnedFull) {
            warnedFull = true;
            err.println("lminspect watch: more than " + HostMaps.MAX_FILES + " files or " + HostMaps.MAX_PROCESSES
                    + " processes: the rest are not watched");
        }
        return r;
    }

    /** Starts watching new files: their handles, a mark or a directory watch, and what their path shows now. */
    private void cover(List<FileId> fresh) {
        FanotifySource fan = sources.fanotify();
        InotifySource ino = sources.inotify();
        Map<String, Fid> dirFids = new HashMap<>();
        for (FileId k : fresh) {
            WatchIndex.View v = index.view(k);
            if (v == null) continue;
            String dir = WatchedFile.dirOf(v.path());
            Fid fid = null;
            Fid dirFid = null;
            String markPath = null;
            if (fan != null) {
                for (Map.Entry<Integer, String> u : v.users().entrySet()) {
                    String mf = "/proc/" + u.getKey() + "/map_files/" + u.getValue(); // the mapped inode itself, even if replaced
                    fid = fid(mf);
                    if (fid != null) {
                        markPath = mf;
                        break;
                    }
                }
                String dk = InotifySource.dirKey(k, dir);
                dirFid = dirFids.get(dk);
                if (dirFid == null) {
                    for (int pid : v.users().keySet()) if ((dirFid = fid("/proc/" + pid + "/root" + dir)) != null) break;
                    if (dirFid != null) dirFids.put(dk, dirFid);
                }
            }
            boolean byFan = fan != null && fan.cover(fid, markPath);
            String inoDir = null;
            if (!byFan && ino != null) {
                List<String> roots = new ArrayList<>();
                for (int pid : v.users().keySet()) roots.add("/proc/" + pid + "/root");
                inoDir = ino.cover(k, dir, roots);
            }
            index.identify(k, fid, dirFid);
            index.live(k, byFan || inoDir != null, inoDir);
            index.baseline(k, FileProbe.look(v));
        }
    }

    private Fid fid(String path) {
        byte[] b = new byte[12 + 128];
        int n = sources.helper().lmh_file_fid(path, 1, b, b.length);
        return n > 0 ? new Fid(Arrays.copyOf(b, n)) : null;
    }

    /** Looks at the files no live source covers (or all) and queues those whose path shows a change since their baseline. */
    private void sweep(boolean all, Set<FileId> skip) {
        for (WatchIndex.View v : index.views(all)) {
            if (skip.contains(v.key())) continue;
            if (FileState.change(v.baseline(), FileProbe.look(v), false) != null) coalescer.offer(v.key(), Hint.SWEEP, System.nanoTime());
        }
    }
}
