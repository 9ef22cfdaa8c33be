package io.lminspect.report.model;

import io.lminspect.finding.Finding;
import io.lminspect.finding.Severity;

import java.util.Collection;

/**
 * The exit codes, in one place (the Nagios plugin convention, so deploy scripts
 * and monitoring agree): 0 nothing at warning level, 1 warning, 2 critical,
 * 3 could not inspect. Every report computes its code through here.
 */
public final class ExitCode {
    public static final int OK = 0, WARNING = 1, CRITICAL = 2, CANNOT_INSPECT = 3;

    private ExitCode() {}

    /** The code for the worst severity seen (null: no finding at all). Info findings leave it at OK. */
    public static int forWorst(Severity worst) {
        if (worst == null) return OK;
        return switch (worst) {
            case CRITICAL -> CRITICAL;
            case WARNING -> WARNING;
            case INFO -> OK;
        };
    }

    public static int forFindings(Collection<Finding> findings) {
        return forWorst(Severity.worst(findings));
    }

    /** The Nagios status word of a code. */
    public static String statusWord(int code) {
        return switch (code) {
            case CRITICAL -> "CRITICAL";
            case WARNING -> "WARNING";
            case OK -> "OK";
            default -> "UNKNOWN";
        };
    }
}
