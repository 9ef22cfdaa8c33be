package io.lminspect.crash;

/**
 * What a core says about how the process died: the signal and its code, the
 * fault address, the thread and where it was, and an explanation tied to the
 * link_map when the address is one of its pointers. signal 0: a snapshot (gcore).
 */
public record Crash(int signal, String signalName, String code, Long address, long pc, String pcObject, String pcSymbol,
                    String caller, int thread, String explanation) {}
