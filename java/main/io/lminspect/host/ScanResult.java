package io.lminspect.host;

import io.lminspect.check.Inspection;

/** One process of a host scan: inspected, or skipped with the reason. */
public record ScanResult(int pid, Inspection inspection, String skipReason, boolean kernelThread) {

    public static ScanResult inspected(int pid, Inspection in) {
        return new ScanResult(pid, in, null, false);
    }

    public static ScanResult skipped(int pid, String reason, boolean kernelThread) {
        return new ScanResult(pid, null, reason, kernelThread);
    }

    public boolean wasInspected() {
        return inspection != null;
    }
}
