package io.lminspect.cli;

/**
 * Help text the commands share, as constants so picocli annotations can name them:
 * the exit codes (shown by --help and by the man pages, which are generated from
 * the same picocli model).
 */
final class HelpText {
    private HelpText() {}

    static final String EXIT_HEADING = "%nExit codes:%n";
    static final String EXAMPLE_HEADING = "%nExamples:%n";

    static final String EXIT_OK = "0:inspected, nothing at warning level or above";
    static final String EXIT_WARNING = "1:inspected, worst finding is a warning";
    static final String EXIT_CRITICAL = "2:inspected, worst finding is critical";
    static final String EXIT_CANNOT = "3:could not inspect (no such process, permission denied, bad input, usage error): one line on stderr names the cause";
}
