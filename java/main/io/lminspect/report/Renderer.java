package io.lminspect.report;

import io.lminspect.report.model.Report;

import java.io.PrintStream;

/**
 * One output format. A renderer reads only the report model; each format has
 * exactly one renderer, which knows every document that format can show.
 */
public interface Renderer {
    void render(Report report, PrintStream out);

    /** For a document this format does not have (e.g. Nagios output of a layout). */
    static IllegalArgumentException unsupported(String format, Report r) {
        return new IllegalArgumentException(format + " output is not available for " + r.getClass().getSimpleName());
    }
}
