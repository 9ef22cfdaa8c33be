package io.lminspect.host;

import io.lminspect.check.Inspection;

/** One process of a host scan: inspected, or skipped with the reason. */
public record ScanResult(int pid, Inspection inspection, Service service, String skipReason, boolean kernelThread) {

    public static ScanResult inspected(int pid, Inspection in, Service service) {
        return new ScanResult(pid, in, service, null, false);
    }

    public static ScanResult skipped(int pid, String reason, boolean kernelThread) {
        return new ScanResult(pid, null, null, reason, kernelThread);
    }

    public boolean wasInspected() {
        return inspection != null;
    }
}
