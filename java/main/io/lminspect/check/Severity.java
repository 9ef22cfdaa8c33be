package io.lminspect.check;

/** Finding severities, ordered; the worst one decides the Nagios-style exit code. */
public enum Severity {
    INFO("info", 0), WARNING("warning", 1), CRITICAL("critical", 2);

    public final String json;
    public final int exitCode;

    Severity(String json, int exitCode) {
        this.json = json;
        this.exitCode = exitCode;
    }
}
