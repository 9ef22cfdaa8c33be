package io.lminspect.inferior;

/** One NT_PRSTATUS of a core: a thread's registers and the signal it was taking (pr_cursig, 0 for gcore). */
public record CoreThread(ThreadState state, int cursig) {}
