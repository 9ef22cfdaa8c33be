package io.lminspect.support;

import java.util.concurrent.Callable;

/**
 * Waits for a condition with a deadline, never for a clock: a test that synchronises
 * with a process asks for what it needs (a line printed, a counter moved) and goes on
 * the moment it holds. Polls every 20 ms; an exception from the condition counts as "not yet".
 */
public final class Await {
    private Await() {}

    /** True as soon as the condition holds; false when timeoutMs pass first (the caller asserts, with what it saw). */
    public static boolean until(long timeoutMs, Callable<Boolean> condition) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) return true;
            } catch (Exception notYet) {
                // a file not written yet, a process not started yet
            }
            if (System.nanoTime() > end) return false;
            Thread.sleep(20);
        }
    }
}
