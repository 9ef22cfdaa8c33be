package io.lminspect.inferior;

/**
 * Who a target is. For a live process, startTicks (field 22 of /proc/PID/stat)
 * is re-read after inspection: a different value means the PID was reused.
 */
public record ProcessIdentity(int pid, String exe, String comm, int uid, long startTicks, long startEpochMillis,
                              int nsPid) {
}
