package io.lminspect.inferior;

import java.util.Map;

/** One thread's registers (from PTRACE_GETREGSET or a core's NT_PRSTATUS), names in kernel order. */
public record ThreadState(int tid, String state, Map<String, Long> registers, long pc, long sp) {}
