package io.lminspect.watch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * --exec: the command runs once per event with the event's JSON line on stdin,
 * off the event path (a slow hook never delays the next event). At most
 * {@link #RUNNING} run at once and {@link #QUEUED} wait; beyond that an event's run
 * is dropped and counted, so a storm cannot fork-bomb the host. A run is killed
 * after {@link #TIMEOUT_S} s, the writing of its stdin included (a hook that never
 * reads a large event cannot hold a thread). Its stdout is discarded (it would break
 * --json on ours); its stderr is ours. When the watch stops, running hooks are killed:
 * none outlives it.
 */
final class ExecHook implements AutoCloseable {
    static final int RUNNING = 2;
    static final int QUEUED = 16;
    static final long TIMEOUT_S = 30;

    private final List<String> argv;
    private final WatchCounters counters;
    private final ThreadPoolExecutor pool;
    private final java.util.Set<Process> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Kills runs past their deadline, even one blocked writing to the hook's stdin. */
    private final java.util.concurrent.ScheduledExecutorService reaper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lminspect-exec-reaper");
        t.setDaemon(true);
        return t;
    });

    ExecHook(List<String> argv, WatchCounters counters) {
        this.argv = List.copyOf(argv);
        this.counters = counters;
        this.pool = new ThreadPoolExecutor(RUNNING, RUNNING, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUED), r -> {
            Thread t = new Thread(r, "lminspect-exec");
            t.setDaemon(true);
            return t;
        }, (r, p) -> counters.execDropped.incrementAndGet());
        pool.allowCoreThreadTimeOut(true);
    }

    void submit(String jsonLine) {
        pool.execute(() -> run(jsonLine));
    }

    private void run(String jsonLine) {
        counters.execRun.incrementAndGet();
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            System.err.println("lminspect watch: --exec " + io.lminspect.util.SafeText.clean(argv.get(0)) + ": " + e.getMessage());
            return;
        }
        running.add(p);
        if (closed) { // started while the watch was stopping: close() may have looked at `running` before the add
            p.destroyForcibly();
            running.remove(p);
            return;
        }
        // the deadline covers the whole run: killing the hook also ends a write blocked on its full pipe
        var kill = reaper.schedule(p::destroyForcibly, TIMEOUT_S, TimeUnit.SECONDS);
        try (OutputStream in = p.getOutputStream()) {
            in.write((jsonLine + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the command did not read its stdin (or was killed at its deadline): its business
        }
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            kill.cancel(false);
            running.remove(p);
        }
    }

    private volatile boolean closed;

    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        killRunning();
        try {
            // a run between fork and `running.add` is seen by its own `closed` check, or here once its thread ends
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killRunning();
        reaper.shutdownNow();
    }

    private void killRunning() {
        for (Process p : running) { // no hook outlives the watch
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
