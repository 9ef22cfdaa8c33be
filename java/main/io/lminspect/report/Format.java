package io.lminspect.report;

import io.lminspect.report.json.JsonRenderer;
import io.lminspect.report.nagios.NagiosRenderer;
import io.lminspect.report.prometheus.PrometheusRenderer;
import io.lminspect.report.text.TextRenderer;

/** The output formats, and the one renderer of each. */
public enum Format {
    text, json, nagios, prometheus;

    public Renderer renderer(boolean verbose) {
        return renderer(verbose, false);
    }

    /** color: only the text format has any (severity words); the others are for machines. */
    public Renderer renderer(boolean verbose, boolean color) {
        return switch (this) {
            case text -> new TextRenderer(verbose, color);
            case json -> new JsonRenderer();
            case nagios -> new NagiosRenderer();
            case prometheus -> new PrometheusRenderer();
        };
    }
}
