package io.lminspect.report.model;

/**
 * What a command produced: one immutable document, built from the domain
 * objects once, that every renderer (text, JSON, Nagios, Prometheus) reads.
 * Renderers never reach back into a target.
 */
public interface Report {
    /** The process exit code this document stands for (see {@link ExitCode}). */
    int exitCode();
}
