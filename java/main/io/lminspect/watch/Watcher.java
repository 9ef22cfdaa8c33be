package io.lminspect.watch;

import io.lminspect.report.json.WatchEventJson;
import io.lminspect.report.text.WatchEventText;
import io.lminspect.report.model.WatchEvent;
import io.lminspect.report.model.Change;
import io.lminspect.util.Plain;
import io.lminspect.host.ProcessList;
import io.lminspect.inferior.NativeHelper;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.ScanReport;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * lminspect watch: an index of which processes map which files (a full read of every
 * /proc/PID/maps at start, kept current by a periodic rescan that redoes only the
 * processes whose maps changed), live notifications of writes, truncations, renames
 * over and deletions of those files (fanotify, else inotify), and for each change one
 * re-inspection of the processes that map the file — never stopping them (rule 1) —
 * reported as one event.
 *
 * <p>Threads: one reader per notification source, one dispatcher (coalesces, looks,
 * inspects, reports; events come out in order), one scheduler (rescans, SIGHUP,
 * overflow sweeps), and the metrics server's.
 */
public final class Watcher {
    /** How long a reader waits in poll(2) before it looks at the stop flag (a stop never waits for it). */
    static final int POLL_MS = 1000;

    /**
     * json: JSON Lines; textfile: where metrics go after each change and rescan (null: nowhere);
     * exec: argv of --exec (null: none); refuseFanotify: behave as if fanotify were refused (tests).
     */
    public record Options(boolean json, long intervalMillis, InetSocketAddress listen, Consumer<byte[]> textfile,
                          List<String> exec, boolean refuseFanotify) {}

    private final Options opt;
    private final PrintStream out;
    private final PrintStream err;
    private final WatchIndex index = new WatchIndex();
    private final Coalescer coalescer = new Coalescer();
    private final WatchCounters counters = new WatchCounters();
    private final HostState state;
    private final WatchInspector inspector;
    /** Who a writer belongs to (its unit, container or process tree). */
    private final io.lminspect.host.ServiceResolver services = new io.lminspect.host.ServiceResolver();
    private final int self = (int) ProcessHandle.current().pid();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private NativeHelper h;
    private FanotifySource fan;
    private InotifySource ino;
    private String fanRefusal = "";
    private ExecHook exec;
    private MetricsServer server;
    private ScheduledExecutorService scheduler;
    private boolean warnedFull;

    public Watcher(Options opt, PrintStream out, PrintStream err) {
        this.opt = opt;
        this.out = out;
        this.err = err;
        this.state = opt.listen() != null || opt.textfile() != null ? new HostState() : null;
        this.inspector = new WatchInspector(state);
    }

    /** Indexes, starts watching, and returns 0 once {@link #stop()} is called. Start-up failures throw (exit 3). */
    public int run() throws InterruptedException {
        h = NativeHelper.Holder.get();
        if (h == null) throw new InspectException(Failure.NO_NATIVE_HELPER, "watch", NativeHelper.Holder.loadError());
        openSources();
        try {
            long t0 = System.nanoTime();
            Rescan first = rescan(true);
            cover(first.fresh);
            if (fan != null && fan.marks() == 0) {
                // since 5.13 an unprivileged fanotify_init succeeds, but no filesystem mark does: inotify did the work
                fanRefusal = "fanotify refused: " + (fan.lastMarkError() != 0 ? "FAN_MARK_FILESYSTEM " + errno(fan.lastMarkError())
                        : "no file handle for any mapped file") + (fan.lastMarkError() == -1 || fan.lastMarkError() == 0 ? ", needs CAP_SYS_ADMIN" : "");
                fan.close();
                fan = null;
                if (ino == null) throw new InspectException(Failure.IO_ERROR, "watch files", fanRefusal + "; inotify refused");
            }
            counters.lastRescanSeconds = (System.nanoTime() - t0) / 1e9;
            if (state != null) {
                inspectIntoState(index.pids());
                state.scanned((System.nanoTime() - t0) / 1e9, System.currentTimeMillis());
            }
            warmUp();
            counters.processes = index.processCount();
            counters.files = index.fileCount();
            if (opt.exec() != null) exec = new ExecHook(opt.exec(), counters);
            if (opt.listen() != null) {
                server = new MetricsServer(opt.listen(), this::metrics);
                // the port actually bound (ADDR:0 asks for any free one)
                err.println("lminspect watch: metrics at http://" + hostForUrl(opt.listen()) + ":" + server.port() + "/metrics");
            }
            writeTextfile();
            announce();
            startThreads();
            while (running) stopped.await();
            return 0;
        } finally {
            shutdown();
        }
    }

    /** Stops the watch (SIGTERM, SIGINT): run() returns promptly. */
    public void stop() {
        running = false;
        stopped.countDown();
    }

    /** SIGHUP: every process re-read and re-inspected, every file looked at. */
    public void requestFullRescan() {
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) s.execute(() -> periodic(true));
    }

    private static String hostForUrl(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    // --- sources ---

    private void openSources() {
        if (opt.refuseFanotify()) {
            fanRefusal = "fanotify refused on request";
        } else {
            Opened<FanotifySource> f = FanotifySource.open(h);
            if (f.ok()) fan = f.source();
            else fanRefusal = "fanotify refused: " + errno(f.negErrno()) + (f.negErrno() == -1 ? ", needs CAP_SYS_ADMIN" : "");
        }
        Opened<InotifySource> i = InotifySource.open(h);
        if (i.ok()) ino = i.source();
        if (fan == null && ino == null)
            throw new InspectException(Failure.IO_ERROR, "watch files", fanRefusal + "; inotify refused: " + errno(i.negErrno()));
    }

    static String errno(int negErrno) {
        return io.lminspect.inferior.Errno.name(-negErrno);
    }

    private String mechanism() {
        return fan != null ? "fanotify" : "inotify";
    }

    private void announce() {
        String line;
        if (opt.json()) {
            line = WatchEventJson.watching(index.processCount(), index.fileCount(), mechanism());
        } else {
            String detail = fan != null
                    ? fan.marks() + " filesystem(s) marked" + (ino != null && ino.watches() > 0 ? ", inotify on " + ino.watches() + " directories where fanotify cannot mark" : "")
                    : (fanRefusal + ": inotify on " + ino.watches() + " directories");
            line = WatchEventText.watching(index.processCount(), index.fileCount(), mechanism(), detail);
        }
        print(line);
        if (fan == null && opt.json()) err.println("lminspect watch: " + fanRefusal + "; watching with inotify");
        if (ino != null && ino.lastError() != 0)
            err.println("lminspect watch: some directories are not watched live (inotify " + errno(ino.lastError())
                    + "; fs.inotify.max_user_watches?): the rescan every " + opt.intervalMillis() + " ms still looks at their files");
    }

    /** Notifications about indexed files so far: a reader that just read one does not pause (the rest of a cp follows). */
    private final java.util.concurrent.atomic.AtomicLong hints = new java.util.concurrent.atomic.AtomicLong();

    private final HintSink sink = new HintSink() {
        @Override
        public void hint(FileKey key, int flags) {
            hints.incrementAndGet();
            // inotify names no process
            coalescer.offer(key, flags, System.nanoTime(), null, "inotify does not say which process wrote");
        }

        @Override
        public void hint(FileKey key, int flags, int writerPid) {
            hints.incrementAndGet();
            if (writerPid <= 0 || writerPid == self || coalescer.knowsWriter(key)) {
                coalescer.offer(key, flags, System.nanoTime(), null, writerPid == self ? null : writerPid <= 0 ? "the kernel named no process" : null);
                return;
            }
            // named now: a cp has exited by the time the event is reported
            io.lminspect.report.model.Writer w = WriterLookup.of(writerPid, services);
            coalescer.offer(key, flags, System.nanoTime(), w, w == null ? "the writer (pid " + writerPid + ") exited before it could be named" : null);
        }

        @Override
        public void overflow() {
            counters.overflows.incrementAndGet();
            ScheduledExecutorService s = scheduler;
            if (s != null && !s.isShutdown()) s.execute(() -> sweep(true));
        }

        @Override
        public void counted(int n) {
            counters.notifications.addAndGet(n);
        }
    };

    private void startThreads() {
        if (fan != null) daemon("lminspect-fanotify", () -> {
            while (running) {
                long seen = hints.get();
                if (!fan.poll(POLL_MS, index, sink)) { err.println("lminspect watch: reading fanotify events failed"); break; }
                if (hints.get() == seen) pace();
            }
        });
        if (ino != null) daemon("lminspect-inotify", () -> {
            while (running) {
                long seen = hints.get();
                if (!ino.poll(POLL_MS, index, sink)) { err.println("lminspect watch: reading inotify events failed"); break; }
                if (hints.get() == seen) pace();
            }
        });
        daemon("lminspect-dispatch", this::dispatchLoop);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lminspect-rescan");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> periodic(false), opt.intervalMillis(), opt.intervalMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A filesystem mark hears every writer on the filesystem (a build, a database, logs). After a
     * read that named no indexed file the reader waits {@link #READ_PACE_MS}, so the kernel merges
     * a writer's notifications for one file while they wait in the queue: a busy neighbour costs
     * some 40 reads a second, not one per write(2). A change to a watched file is read at most that
     * much later; its follow-ups (the rest of a cp) are read at once.
     */
    static final int READ_PACE_MS = 25;

    private static void pace() {
        try {
            Thread.sleep(READ_PACE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void shutdown() {
        running = false;
        if (scheduler != null) scheduler.shutdownNow();
        if (server != null) server.close();
        if (exec != null) exec.close();
        // the readers' descriptors die with the process: closing one under a thread in poll(2) could hand its number to another open
    }

    // --- the index ---

    private record Rescan(List<WatchedFile> fresh, Set<Integer> changed, Set<Integer> gone) {}

    /**
     * Reads every process's maps; only those new or whose maps text changed are parsed
     * and re-indexed. Processes that exited (or whose PID now names another process) are
     * dropped first, so an inode number freed by one and reused by another never keeps
     * the old file's name.
     */
    private Rescan rescan(boolean full) {
        Map<Integer, Long> starts = new HashMap<>();
        for (int pid : ProcessList.all()) {
            if (pid == self) continue;
            MapsReader.startTicks(pid).ifPresent(t -> starts.put(pid, t));
        }
        Set<Integer> gone = new HashSet<>();
        for (int pid : index.pids()) {
            WatchIndex.Entry e = index.entry(pid);
            if (e != null && Long.valueOf(e.startTicks()).equals(starts.get(pid))) continue;
            index.remove(pid);
            gone.add(pid);
        }
        List<WatchedFile> fresh = new ArrayList<>();
        Set<Integer> changed = new HashSet<>();
        for (Map.Entry<Integer, Long> p : starts.entrySet()) {
            int pid = p.getKey();
            long start = p.getValue();
            Optional<MapsReader.Text> text = MapsReader.text(pid);
            if (text.isEmpty()) { // exited, or not ours to read (rule 4)
                if (index.entry(pid) != null) {
                    index.remove(pid);
                    gone.add(pid);
                }
                continue;
            }
            WatchIndex.Entry e = index.entry(pid);
            if (!full && e != null && e.textHash() == text.get().hash()) continue; // the same maps: nothing to redo
            Map<FileKey, ProcessMaps.Use> files = MapsReader.files(text.get().text());
            // the PID may have been reused while its maps were read: never index one process's maps under another
            if (!Optional.of(start).equals(MapsReader.startTicks(pid))) continue;
            WatchIndex.Applied a = index.apply(new ProcessMaps(pid, start, text.get().hash(), files));
            fresh.addAll(a.newFiles());
            if (a.fileSetChanged() || full) changed.add(pid);
        }
        if (index.full() && !warnedFull) {
            warnedFull = true;
            err.println("lminspect watch: more than " + WatchIndex.MAX_FILES + " files or " + WatchIndex.MAX_PROCESSES
                    + " processes: the rest are not watched");
        }
        return new Rescan(fresh, changed, gone);
    }

    /** Starts watching new files: their handles, a mark or a directory watch, and what their path shows now. */
    private void cover(List<WatchedFile> fresh) {
        Map<String, Fid> dirFids = new HashMap<>();
        for (WatchedFile nf : fresh) {
            WatchIndex.View v = index.view(nf.key);
            if (v == null) continue;
            String dir = nf.dir();
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
                String dk = InotifySource.dirKey(nf.key, dir);
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
                inoDir = ino.cover(nf.key, dir, roots);
            }
            index.identify(nf.key, fid, dirFid);
            index.live(nf.key, byFan || inoDir != null, inoDir);
            index.baseline(nf.key, FileProbe.look(v));
        }
    }

    private Fid fid(String path) {
        byte[] b = new byte[12 + 128];
        int n = h.lmh_file_fid(path, 1, b, b.length);
        return n > 0 ? new Fid(Arrays.copyOf(b, n)) : null;
    }

    /** The periodic rescan (and SIGHUP's full one); never throws, or the scheduler would stop rescanning. */
    private void periodic(boolean full) {
        if (!running) return;
        try {
            long t0 = System.nanoTime();
            Rescan r = rescan(full);
            long t1 = System.nanoTime();
            cover(r.fresh);
            if (ino != null) ino.retain(index.inotifyDirs());
            long t2 = System.nanoTime();
            Set<FileKey> fresh = new HashSet<>();
            for (WatchedFile f : r.fresh) fresh.add(f.key);
            sweep(full, fresh);
            if (TIMING) err.printf(Plain.LOCALE, "timing: rescan: maps %.1f ms (%d processes, %d re-indexed), cover %.1f ms (%d new files), sweep %.1f ms%n",
                    (t1 - t0) / 1e6, index.processCount(), r.changed.size(), (t2 - t1) / 1e6, r.fresh.size(), (System.nanoTime() - t2) / 1e6);
            // the rescan proper; inspecting new and changed processes for /metrics is counted apart
            counters.lastRescanSeconds = (System.nanoTime() - t0) / 1e9;
            counters.lastRescanChanged = r.changed.size();
            if (state != null) {
                for (int pid : r.gone) state.remove(pid);
                inspectIntoState(r.changed);
                if (full) state.scanned((System.nanoTime() - t0) / 1e9, System.currentTimeMillis());
            }
            counters.rescans.incrementAndGet();
            counters.processes = index.processCount();
            counters.files = index.fileCount();
            writeTextfile();
        } catch (RuntimeException e) {
            err.println("lminspect watch: rescan failed: " + e + " (the next one will try again)");
        }
    }

    private void sweep(boolean all) {
        sweep(all, Set.of());
    }

    /**
     * Looks at the files no live source covers (or at all of them after an overflow or
     * SIGHUP) and queues those whose path shows a change since their baseline.
     */
    private void sweep(boolean all, Set<FileKey> skip) {
        for (WatchIndex.View v : index.views(all)) {
            if (skip.contains(v.key())) continue;
            if (FileState.change(v.baseline(), FileProbe.look(v), false) != null) coalescer.offer(v.key(), Hint.SWEEP, System.nanoTime());
        }
    }

    // --- changes ---

    private void dispatchLoop() {
        while (running) {
            try {
                List<Coalescer.Window> due = coalescer.awaitDue(POLL_MS * 1_000_000L);
                if (!due.isEmpty()) dispatch(due);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                err.println("lminspect watch: an event could not be reported: " + e);
            }
        }
    }

    private record Pending(WatchIndex.View file, Change change, Coalescer.Window window) {}

    /** LMINSPECT_TIMING=1: where an event's time goes, on stderr (as for the other commands). */
    private static final boolean TIMING = System.getenv("LMINSPECT_TIMING") != null;

    private void dispatch(List<Coalescer.Window> due) {
        long t0 = System.nanoTime();
        List<Pending> changes = new ArrayList<>();
        Set<Integer> pids = new HashSet<>();
        for (Coalescer.Window w : due) {
            WatchIndex.View v = index.view(w.key());
            if (v == null) continue; // nobody maps it any more
            FileState now = FileProbe.look(v);
            Change c = FileState.change(v.baseline(), now, (w.flags() & Hint.MODIFIED) != 0);
            if (now.kind() != FileState.Kind.UNKNOWN) index.baseline(w.key(), now);
            if (c == null) continue;
            // a data file (mapped, never executed) is written by its users all day; only losing bytes, a replacement
            // or a deletion can hurt a process that maps it
            if (c == Change.WRITTEN && !v.code()) continue;
            changes.add(new Pending(v, c, w));
            pids.addAll(v.users().keySet());
        }
        if (changes.isEmpty()) return;
        long t1 = System.nanoTime();
        Map<Integer, WatchInspector.Inspected> fresh = inspect(pids);
        long nowNanos = System.nanoTime();
        if (TIMING) for (Pending p : changes)
            err.printf(Plain.LOCALE, "timing: %s: first notification %.1f ms before the window closed, last %.1f ms before; looked %.1f ms, inspected %d processes %.1f ms%n",
                    io.lminspect.util.SafeText.clean(p.file.path()), (t0 - p.window.firstNanos()) / 1e6, (t0 - p.window.lastNanos()) / 1e6,
                    (t1 - t0) / 1e6, pids.size(), (nowNanos - t1) / 1e6);
        for (Pending p : changes) {
            List<ProcessReport> mapping = new ArrayList<>();
            for (int pid : p.file.users().keySet()) {
                WatchInspector.Inspected in = fresh.get(pid);
                if (in != null && in.maps().contains(p.file.key())) mapping.add(in.report());
            }
            if (mapping.isEmpty()) continue; // every process that mapped it exited meanwhile
            long latency = (nowNanos - p.window.firstNanos()) / 1_000_000;
            long when = System.currentTimeMillis() - latency;
            emit(WatchEvents.of(when, p.change, p.file, mapping, latency, p.window.writer(), p.window.writerUnknown()));
        }
        if (state != null) writeTextfile();
    }

    private void emit(WatchEvent e) {
        counters.events.get(e.change()).incrementAndGet();
        String json = opt.json() || exec != null ? WatchEventJson.change(e) : null;
        print(opt.json() ? json : WatchEventText.change(e));
        if (exec != null) exec.submit(json);
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
            if (out.checkError()) stop(); // stdout closed (a pipe's reader left): nobody to tell
        }
    }

    // --- inspections ---

    private Map<Integer, WatchInspector.Inspected> inspect(Set<Integer> pids) {
        return inspector.inspect(pids, false);
    }

    private void inspectIntoState(Set<Integer> pids) {
        inspector.inspect(pids, false);
    }

    /**
     * One inspection before the first event, so the first event does not also pay for
     * loading the inspection code: of a process with a typical handful of libraries
     * (a big one would only make start-up slower).
     */
    private void warmUp() {
        for (int pid : new java.util.TreeSet<>(index.pids())) {
            WatchIndex.Entry e = index.entry(pid);
            if (e == null || e.files().size() < 5 || e.files().size() > 60) continue;
            WatchInspector.Inspected in = inspector.inspect(Set.of(pid), true).get(pid);
            if (in == null) continue;
            // and the rest of an event's path, rendered and thrown away
            FileKey k = e.files().iterator().next();
            WatchIndex.View v = index.view(k);
            if (v != null) {
                FileState.change(v.baseline(), FileProbe.look(v), true);
                WatchEvent ev = WatchEvents.of(System.currentTimeMillis(), Change.WRITTEN, v, List.of(in.report()), 0, null, null);
                WatchEventJson.change(ev);
                WatchEventText.change(ev);
            }
            return;
        }
    }

    // --- metrics ---

    private byte[] metrics() {
        return WatchMetrics.render(state, counters);
    }

    private void writeTextfile() {
        if (opt.textfile() == null || state == null) return;
        try {
            opt.textfile().accept(metrics());
        } catch (RuntimeException e) {
            err.println("lminspect watch: --textfile: " + e.getMessage());
        }
    }
}
