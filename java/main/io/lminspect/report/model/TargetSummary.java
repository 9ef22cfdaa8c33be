package io.lminspect.report.model;

import io.lminspect.inferior.ProcessIdentity;

/** Who was inspected: the process header every format prints, computed once. */
public record TargetSummary(int pid, int nsPid, String exe, String comm, int uid, long startEpochMillis,
                            String elfClass, String machine, String libc) {

    public static TargetSummary of(ProcessIdentity id, int wordSize, String libc) {
        boolean is64 = wordSize == 8;
        return new TargetSummary(id.pid(), id.nsPid(), id.exe(), id.comm(), id.uid(), id.startEpochMillis(),
                is64 ? "ELF64" : "ELF32", is64 ? "x86_64" : "i386", libc);
    }

    public boolean inOtherPidNamespace() {
        return nsPid != pid;
    }
}
