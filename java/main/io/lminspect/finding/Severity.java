package io.lminspect.finding;

import java.util.Collection;

/** Finding severities, ordered: the worst one of a report decides its exit code. */
public enum Severity {
    INFO("info"), WARNING("warning"), CRITICAL("critical");

    public final String json;

    Severity(String json) {
        this.json = json;
    }

    /** The worst severity among the findings, or null when there are none. */
    public static Severity worst(Collection<Finding> findings) {
        Severity w = null;
        for (Finding f : findings) if (w == null || f.severity().compareTo(w) > 0) w = f.severity();
        return w;
    }
}
