package io.lminspect.report.model;

import io.lminspect.decode.DecodedEvent;

import java.util.List;

/** decode: each kernel fault line explained; lines that were not fault lines are counted. Always exit 0. */
public record DecodeReport(List<DecodedEvent> events, int unparsedLines) implements Report {
    @Override
    public int exitCode() {
        return ExitCode.OK;
    }
}
