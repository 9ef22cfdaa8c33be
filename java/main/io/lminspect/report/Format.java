package io.lminspect.report;

import io.lminspect.report.json.JsonRenderer;
import io.lminspect.report.nagios.NagiosRenderer;
import io.lminspect.report.prometheus.PrometheusRenderer;
import io.lminspect.report.text.TextRenderer;

/** The output formats, and the one renderer of each. */
public enum Format {
    text, json, nagios, prometheus;

    public Renderer renderer(boolean verbose) {
        return switch (this) {
            case text -> new TextRenderer(verbose);
            case json -> new JsonRenderer();
            case nagios -> new NagiosRenderer();
            case prometheus -> new PrometheusRenderer();
        };
    }
}
