package io.lminspect.inferior;

import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one thread that makes every ptrace call. ptrace is per-thread: only the
 * thread that seized a tracee may issue requests for it (others get ESRCH), so
 * seize, interrupt, GETREGSET and detach all run here (as HotSpot's SA does).
 */
public final class PtraceThread {
    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lminspect-ptrace");
        t.setDaemon(true);
        return t;
    });

    private PtraceThread() {}

    /** Runs work on the ptrace thread and waits for it; its exceptions are rethrown here. */
    public static <T> T call(Callable<T> work) {
        Future<T> f = EXECUTOR.submit(work);
        try {
            return f.get();
        } catch (InterruptedException e) {
            // the native call cannot be abandoned half-way (threads are seized): let it finish, then report
            try {
                return f.get();
            } catch (InterruptedException | ExecutionException again) {
                throw new InspectException(Failure.REGISTERS_UNREADABLE, "interrupted").because(again);
            } finally {
                Thread.currentThread().interrupt();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new InspectException(Failure.REGISTERS_UNREADABLE, String.valueOf(e.getCause())).because(e.getCause());
        }
    }
}
