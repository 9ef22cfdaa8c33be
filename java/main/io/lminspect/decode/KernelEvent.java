package io.lminspect.decode;

/**
 * One fault the kernel reported, as the log line states it. Numbers the line
 * does not carry are null; strings are already escaped for printing.
 */
public record KernelEvent(int lineNumber, String kind, String detail, String comm, Integer pid, Double uptimeSeconds,
                          Long address, Long ip, Long sp, Long errorCode, String module, Long vmaStart, Long vmaSize,
                          Long fileOffset, String codeBytes) {

    public static final String SEGFAULT = "segfault", GENERAL_PROTECTION = "general-protection", BUS_ERROR = "bus-error",
            TRAP = "trap";

    /** The same event with the `Code:` line that followed it. */
    public KernelEvent withCode(String code) {
        return new KernelEvent(lineNumber, kind, detail, comm, pid, uptimeSeconds, address, ip, sp, errorCode, module, vmaStart,
                vmaSize, fileOffset, code);
    }
}
