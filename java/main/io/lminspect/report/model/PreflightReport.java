package io.lminspect.report.model;

import io.lminspect.preflight.Preflight;

import java.util.List;

/** preflight: for each library asked about, whether dlopen would succeed inside the process, and why not. */
public record PreflightReport(TargetSummary target, LinkerSummary linker, List<Preflight.Result> results) implements Report {

    public boolean wouldSucceed() {
        return results.stream().allMatch(Preflight.Result::wouldSucceed);
    }

    /** 0 when every load would succeed, 2 when one would fail. */
    @Override
    public int exitCode() {
        return wouldSucceed() ? ExitCode.OK : ExitCode.CRITICAL;
    }
}
