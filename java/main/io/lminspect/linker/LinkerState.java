package io.lminspect.linker;

import java.util.List;

/**
 * Everything read from the loader: where r_debug is, each namespace, each entry, what broke
 * during the walk, and what could not be read at all (unread: memory a core left out whose
 * file is not available; not judged, never a problem), and why the walk stopped at a budget (cut), or null.
 */
public record LinkerState(RDebugLocator.Location location, List<RDebug> namespaces, List<LinkMapEntry> entries,
                          List<ChainProblem> problems, LinkMapLayout layout, int stateRereads, List<String> unread, String cut) {

    public LinkerState {
        unread = List.copyOf(unread);
    }

    public boolean found() {
        return location.address() != 0;
    }

    /** glibc's l_info offset checked against at least one entry (or not applicable). */
    public boolean lInfoVerified() {
        if (!layout.hasLInfo()) return false;
        for (LinkMapEntry e : entries) if (e.lInfoVerified()) return true;
        return false;
    }
}
