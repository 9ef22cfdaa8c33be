package io.lminspect.linker;

/** One namespace's r_debug (glibc r_debug_extended, or musl's debug struct). */
public record RDebug(long address, int version, long rMap, long rBrk, int state, long rLdbase, long rNext, int namespace) {
    public static final int RT_CONSISTENT = 0, RT_ADD = 1, RT_DELETE = 2;

    public String stateName() {
        return switch (state) {
            case RT_CONSISTENT -> "RT_CONSISTENT";
            case RT_ADD -> "RT_ADD";
            case RT_DELETE -> "RT_DELETE";
            default -> "unknown(" + state + ")";
        };
    }
}
