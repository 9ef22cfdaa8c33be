package io.lminspect.report.model;

import io.lminspect.linker.LinkerState;
import io.lminspect.linker.RDebug;

import java.util.List;

/** Where r_debug was found (or why not), and its namespaces. */
public record LinkerSummary(boolean found, long address, String foundBy, String notFoundReason, List<RDebug> namespaces,
                            int objectCount) {

    public static LinkerSummary of(LinkerState s) {
        return new LinkerSummary(s.found(), s.location().address(), s.location().how(), s.location().reason(),
                List.copyOf(s.namespaces()), s.entries().size());
    }

    /** The first namespace's r_debug (its version and state head the report), or null. */
    public RDebug first() {
        return namespaces.isEmpty() ? null : namespaces.get(0);
    }
}
