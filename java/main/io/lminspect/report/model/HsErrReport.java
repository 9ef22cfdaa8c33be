package io.lminspect.report.model;

import io.lminspect.decode.HsErrExplained;

/** decode of a HotSpot fatal error log: the explanation, and the exit code its findings stand for. */
public record HsErrReport(HsErrExplained log) implements Report {
    @Override
    public int exitCode() {
        return ExitCode.forFindings(log.findings());
    }
}
