package io.lminspect.util;

/**
 * Every budget and deadline one inspection of one process lives within (rule 7), in one place;
 * docs/security.md lists them with what the user sees when one is hit (INSPECTION_CUT). A
 * hostile or broken process can make any of them bind: that is the news, never an OOM or a hang.
 */
public final class Budgets {
    private Budgets() {}

    /**
     * How long the inspection of one live process may take, its reads included: a read of a page
     * nobody serves (userfaultfd, a hung FUSE or NFS file) never returns. LMINSPECT_DEADLINE_MS
     * overrides it (tests, slow hosts).
     */
    public static final long DEADLINE_MS = envLong("LMINSPECT_DEADLINE_MS", 10_000);
    /** link_map entries read across all namespaces of one process (real processes: well under 1,000). */
    public static final int TOTAL_ENTRIES = 4096;
    /** Bytes of l_name strings read for one process (each name is also capped at 4 KiB). */
    public static final long NAME_BYTES = 1L << 20;
    /** Bytes of /proc/PID/maps read for one process (65,530 mappings, the kernel's default limit, take ~7 MB with usual paths). */
    public static final int MAPS_BYTES = 16 << 20;

    static long envLong(String name, long dflt) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            long x = Long.parseLong(v.trim());
            return x > 0 ? x : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
