package io.lminspect.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real process from testprogs/ (or any command): started, waited for until it
 * prints "ready PID", its stdout collected, killed on close.
 */
public final class TestProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final int pid;

    private TestProcess(Process p, boolean waitReady) throws Exception {
        this.process = p;
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(l);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
        t.setDaemon(true);
        t.start();
        if (waitReady) {
            String ready = awaitLine("ready ", 10_000);
            if (ready == null) {
                p.destroyForcibly();
                throw new IllegalStateException("test program did not become ready; output: " + lines);
            }
            pid = Integer.parseInt(ready.substring(6).trim());
        } else {
            pid = (int) p.pid();
        }
    }

    /** Starts a testprog that prints "ready PID" when it is set up. */
    public static TestProcess start(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        return new TestProcess(pb.start(), true);
    }

    /** Starts any command; ready as soon as it runs (with a short settle for ld.so to finish). */
    public static TestProcess startPlain(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        TestProcess t = new TestProcess(pb.start(), false);
        Thread.sleep(400);
        return t;
    }

    public int pid() { return pid; }

    /** The host PID of a descendant running the given program (for targets in their own pid namespace). */
    public int hostPidOf(String programSuffix) {
        return (int) process.descendants().filter(h -> h.info().command().orElse("").endsWith(programSuffix))
                .findFirst().orElseThrow(() -> new IllegalStateException("no descendant runs " + programSuffix)).pid();
    }
    public Process process() { return process; }

    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** The first output line starting with prefix, waiting up to timeoutMs; null if none came. */
    public String awaitLine(String prefix, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        synchronized (lines) {
            while (true) {
                for (String l : lines) if (l.startsWith(prefix)) return l;
                long left = end - System.currentTimeMillis();
                if (left <= 0) return null;
                lines.wait(left);
            }
        }
    }

    public void signal(String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Integer.toString(pid)).inheritIO().start().waitFor();
    }

    /** Exit status as the shell reports it (128+N when killed by signal N); -1 on timeout. */
    public int awaitExit(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) return -1;
        return process.exitValue();
    }

    @Override
    public void close() {
        // the ready PID may be a grandchild (started through a shell): kill it too, but only
        // if it really is one of ours (in another pid namespace the printed PID means nothing here)
        if (pid != process.pid()) process.descendants().filter(h -> h.pid() == pid).forEach(ProcessHandle::destroyForcibly);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
