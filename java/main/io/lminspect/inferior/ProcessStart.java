package io.lminspect.inferior;

import io.lminspect.util.InspectException;

import java.util.Optional;

/**
 * A PID and its process's start time: what tells the process we read from a later one
 * the kernel gave the same PID. The one guard against PID reuse for host-wide reads:
 * take it before reading, ask {@link #stillRunning()} after, and discard what was read
 * when the answer is no.
 */
public record ProcessStart(int pid, long startTicks) {

    /** The process now behind pid; empty when it is gone, not ours to read, or a kernel thread (no maps, no files). */
    public static Optional<ProcessStart> of(int pid) {
        try {
            ProcFs.Stat s = ProcFs.stat(pid);
            if ((s.flags() & ProcFs.PF_KTHREAD) != 0) return Optional.empty();
            return Optional.of(new ProcessStart(pid, s.startTicks()));
        } catch (InspectException e) {
            return Optional.empty();
        }
    }

    /** True while the PID still names this process (same start time). */
    public boolean stillRunning() {
        try {
            return ProcFs.stat(pid).startTicks() == startTicks;
        } catch (InspectException e) {
            return false;
        }
    }
}
