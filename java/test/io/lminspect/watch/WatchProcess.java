package io.lminspect.watch;

import io.lminspect.support.Build;
import io.lminspect.support.JsonDoc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * `lminspect watch` run for real (the launcher, its own JVM, real signals), its stdout
 * and stderr collected line by line. Other sessions may change their own files on the
 * same host meanwhile: tests look only at events about their own files.
 */
final class WatchProcess implements AutoCloseable {
    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    final String firstLine;

    private WatchProcess(Process p) throws InterruptedException {
        this.process = p;
        drain(p.getInputStream(), out);
        drain(p.getErrorStream(), err);
        firstLine = await(l -> true, 90_000);
        if (firstLine == null) {
            p.destroyForcibly();
            throw new IllegalStateException("watch did not start; stderr: " + err);
        }
    }

    /** Starts `[prefix…] scripts/lminspect watch ARGS` with extra environment, and waits for its first line. */
    static WatchProcess start(Map<String, String> env, List<String> prefix, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Build.launcher().toString());
        cmd.add("watch");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return new WatchProcess(pb.start());
    }

    static WatchProcess start(String... args) throws Exception {
        return start(Map.of(), List.of(), args);
    }

    private void drain(InputStream in, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (this) {
                        into.add(l);
                        notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the watch exited
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** The first stdout line matching, waiting up to timeoutMs; null if none came. */
    synchronized String await(Predicate<String> p, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        for (;;) {
            for (String l : out) if (p.test(l)) return l;
            long left = end - System.currentTimeMillis();
            if (left <= 0) return null;
            wait(left);
        }
    }

    /** The first JSON change event about file (a path), waiting up to timeoutMs; null if none came. */
    Map<String, Object> awaitChange(String file, long timeoutMs) throws InterruptedException {
        String l = await(s -> s.startsWith("{\"event\":\"change\"") && file.equals(JsonDoc.parse(s).get("file")), timeoutMs);
        return l == null ? null : JsonDoc.parse(l);
    }

    /** Every JSON change event about file so far. */
    synchronized List<Map<String, Object>> changes(String file) {
        List<Map<String, Object>> res = new ArrayList<>();
        for (String l : out) {
            if (!l.startsWith("{\"event\":\"change\"")) continue;
            Map<String, Object> e = JsonDoc.parse(l);
            if (file.equals(e.get("file"))) res.add(e);
        }
        return res;
    }

    synchronized List<String> out() {
        return new ArrayList<>(out);
    }

    synchronized List<String> err() {
        return new ArrayList<>(err);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    void signal(String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Sends SIGTERM; returns {exit status, milliseconds until the process was gone}. */
    long[] terminate() throws Exception {
        long t0 = System.nanoTime();
        signal("TERM");
        boolean done = process.waitFor(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new long[]{done ? process.exitValue() : -1, ms};
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
