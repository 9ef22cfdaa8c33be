package io.lminspect.watch;

import io.lminspect.report.json.WatchEventJson;
import io.lminspect.report.text.WatchEventText;
import io.lminspect.inferior.FileId;
import io.lminspect.inferior.NativeHelper;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * lminspect watch: an index of which processes map which files (the host index, read
 * in full at start and kept current by a periodic rescan that redoes only the processes
 * whose maps changed), live notifications of writes, truncations, renames over and
 * deletions of those files (fanotify, else inotify), and for each change one
 * re-inspection of the processes that map the file — never stopping them (rule 1) —
 * reported as one event.
 *
 * <p>The lifecycle lives here: open the {@link Sources}, index and cover ({@link Rescanner}),
 * warm up, start the readers, the {@link Dispatcher} and the scheduler, wait for stop,
 * shut down. Threads: one reader per notification source, one dispatcher (events come
 * out in order), one scheduler (rescans, SIGHUP, overflow sweeps), and the metrics server's.
 */
public final class Watcher {
    /** How long a reader waits in poll(2) before it looks at the stop flag (a stop never waits for it). */
    static final int POLL_MS = 1000;

    /** LMINSPECT_TIMING=1: where an event's and a rescan's time goes, on stderr (as for the other commands). */
    static final boolean TIMING = System.getenv("LMINSPECT_TIMING") != null;

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
    private final Dispatcher dispatcher;
    private volatile boolean running = true;
    private Sources sources;
    private Rescanner rescanner;
    private ExecHook exec;
    private MetricsServer server;
    private ScheduledExecutorService scheduler;

    public Watcher(Options opt, PrintStream out, PrintStream err) {
        this.opt = opt;
        this.out = out;
        this.err = err;
        this.state = opt.listen() != null || opt.textfile() != null ? new HostState() : null;
        this.inspector = new WatchInspector(state);
        this.dispatcher = new Dispatcher(index, coalescer, inspector, counters, opt.json(), this::print, err, this::writeTextfile);
    }

    /** Indexes, starts watching, and returns 0 once {@link #stop()} is called. Start-up failures throw (exit 3). */
    public int run() throws InterruptedException {
        NativeHelper h = NativeHelper.Holder.get();
        if (h == null) throw new InspectException(Failure.NO_NATIVE_HELPER, "watch", NativeHelper.Holder.loadError());
        sources = Sources.open(h, opt.refuseFanotify());
        rescanner = new Rescanner(index, sources, coalescer, counters, state, inspector, err, this::writeTextfile);
        try {
            rescanner.first();
            dispatcher.warmUp();
            if (opt.exec() != null) dispatcher.exec(exec = new ExecHook(opt.exec(), counters));
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
        schedule(() -> rescanner.periodic(true));
    }

    private void schedule(Runnable r) {
        schedule(r, 0);
    }

    /** On the scheduler's thread after delayMs, unless the watch has stopped by then. */
    private void schedule(Runnable r, long delayMs) {
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) s.schedule(() -> {
            if (running) r.run();
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private static String hostForUrl(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    private void announce() {
        String line = opt.json()
                ? WatchEventJson.watching(index.processCount(), index.fileCount(), sources.mechanism())
                : WatchEventText.watching(index.processCount(), index.fileCount(), sources.mechanism(), sources.detail());
        print(line);
        if (sources.fanotify() == null && opt.json()) err.println("lminspect watch: " + sources.refusal() + "; watching with inotify");
        InotifySource ino = sources.inotify();
        if (ino != null && ino.lastError() != 0)
            err.println("lminspect watch: some directories are not watched live (inotify " + Sources.errno(ino.lastError())
                    + "; fs.inotify.max_user_watches?): the rescan every " + opt.intervalMillis() + " ms still looks at their files");
    }

    /** Who wrote, or (writer null) why nobody is named: no pid from the kernel, or the writer already gone; our own writes name nobody. */
    private record Named(io.lminspect.report.model.Writer writer, String unknown) {}

    /** Looked up the moment the notification is read: a cp has exited by the time the event is reported. */
    private Named writer(int pid) {
        if (pid <= 0) return new Named(null, "the kernel named no process");
        if (pid == self) return new Named(null, null);
        io.lminspect.report.model.Writer w = WriterLookup.of(pid, services);
        return new Named(w, w == null ? "the writer (pid " + pid + ") exited before it could be named" : null);
    }

    /** Notifications about indexed files so far: a reader that just read one does not pause (the rest of a cp follows). */
    private final AtomicLong hints = new AtomicLong();

    private final HintSink sink = new HintSink() {
        @Override
        public void hint(FileId key, int flags) {
            hints.incrementAndGet();
            // inotify names no process
            coalescer.offer(key, flags, System.nanoTime(), null, "inotify does not say which process wrote");
        }

        @Override
        public void hint(FileId key, int flags, int writerPid) {
            hints.incrementAndGet();
            if (writerPid > 0 && writerPid != self && coalescer.knowsWriter(key)) {
                coalescer.offer(key, flags, System.nanoTime(), null, null);
                return;
            }
            Named w = writer(writerPid);
            coalescer.offer(key, flags, System.nanoTime(), w.writer(), w.unknown());
        }

        @Override
        public void unindexed(Fid file, Fid dir, String name, int flags, int writerPid) {
            hints.incrementAndGet();
            Named w = writer(writerPid); // named now, as for any write: the writer may be gone by the time the rescan has run
            long delay = rescanner.unindexed(file, dir, name, flags, w.writer(), w.unknown());
            if (delay >= 0) schedule(rescanner::quick, delay);
        }

        @Override
        public void overflow() {
            counters.overflows.incrementAndGet();
            schedule(rescanner::sweepAll);
        }

        @Override
        public void counted(int n) {
            counters.notifications.addAndGet(n);
        }
    };

    private void startThreads() {
        // the scheduler first: a reader's first notification may already ask for an overflow sweep or a quick rescan
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lminspect-rescan");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            if (running) rescanner.periodic(false);
        }, opt.intervalMillis(), opt.intervalMillis(), TimeUnit.MILLISECONDS);
        FanotifySource fan = sources.fanotify();
        InotifySource ino = sources.inotify();
        if (fan != null) daemon("lminspect-fanotify", () -> readLoop("fanotify", ms -> fan.poll(ms, index, sink)));
        if (ino != null) daemon("lminspect-inotify", () -> readLoop("inotify", ms -> ino.poll(ms, index, sink)));
        daemon("lminspect-dispatch", () -> dispatcher.loop(() -> running));
    }

    private void readLoop(String name, java.util.function.IntPredicate poll) {
        while (running) {
            long seen = hints.get();
            if (!poll.test(POLL_MS)) {
                err.println("lminspect watch: reading " + name + " events failed");
                break;
            }
            if (hints.get() == seen) pace();
        }
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

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
            if (out.checkError()) stop(); // stdout closed (a pipe's reader left): nobody to tell
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
