package io.lminspect.inferior;

/** A core's NT_SIGINFO (or a thread's pr_cursig when there is none): the signal the process was taking. */
public record SignalInfo(int signo, int code, int errno, long address, boolean hasAddress) {
    public static final SignalInfo NONE = new SignalInfo(0, 0, 0, 0, false);
}
