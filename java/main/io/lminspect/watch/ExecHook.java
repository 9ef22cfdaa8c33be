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
 * after {@link #TIMEOUT_S} s. Its stdout is discarded (it would break --json on
 * ours); its stderr is ours.
 */
final class ExecHook implements AutoCloseable {
    static final int RUNNING = 2;
    static final int QUEUED = 16;
    static final long TIMEOUT_S = 30;

    private final List<String> argv;
    private final WatchCounters counters;
    private final ThreadPoolExecutor pool;

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
        try (OutputStream in = p.getOutputStream()) {
            in.write((jsonLine + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the command did not read its stdin: its business
        }
        try {
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
