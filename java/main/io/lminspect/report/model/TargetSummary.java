package io.lminspect.report.model;

import io.lminspect.elf.ElfClass;
import io.lminspect.inferior.ProcessIdentity;

/** Who was inspected: the process header every format prints, computed once. */
public record TargetSummary(int pid, int nsPid, String exe, String comm, int uid, long startEpochMillis,
                            String elfClass, String machine, String libc) {

    public static TargetSummary of(ProcessIdentity id, int wordSize, String libc) {
        ElfClass c = ElfClass.ofWordSize(wordSize);
        return new TargetSummary(id.pid(), id.nsPid(), id.exe(), id.comm(), id.uid(), id.startEpochMillis(),
                c.name(), c.machineName(), libc);
    }

    public boolean inOtherPidNamespace() {
        return nsPid != pid;
    }
}
