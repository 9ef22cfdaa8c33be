package io.lminspect.cli;

/** SPEC exit codes (the Nagios plugin convention). */
public final class ExitCode {
    public static final int OK = 0, WARNING = 1, CRITICAL = 2, CANNOT_INSPECT = 3;

    private ExitCode() {}
}
