package io.lminspect.host;

import io.lminspect.check.Inspection;

/** One process of a host scan: inspected, or skipped with the reason and its kind. */
public record ScanResult(int pid, Inspection inspection, Service service, String skipReason, SkipKind skipKind) {

    /**
     * Why a process was not inspected. A kernel thread has nothing to inspect and a process that
     * exited is gone: neither makes the view partial. UNREAD does (permission, a failure): the
     * scan's answer does not cover that process (rule 6).
     */
    public enum SkipKind { KERNEL_THREAD, EXITED, UNREAD }

    public static ScanResult inspected(int pid, Inspection in, Service service) {
        return new ScanResult(pid, in, service, null, null);
    }

    public static ScanResult skipped(int pid, String reason, SkipKind kind) {
        return new ScanResult(pid, null, null, reason, kind);
    }

    public boolean wasInspected() {
        return inspection != null;
    }

    public boolean kernelThread() {
        return skipKind == SkipKind.KERNEL_THREAD;
    }
}
