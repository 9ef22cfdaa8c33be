package io.lminspect.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * The error numbers in kernel fault lines, in words. For a segfault it is the
 * x86 page-fault error code (arch/x86/include/asm/trap_pf.h); for a general
 * protection fault it is a segment selector, almost always 0.
 */
public final class ErrorCodeExplainer {
    static final long PF_PROT = 1, PF_WRITE = 1 << 1, PF_USER = 1 << 2, PF_RSVD = 1 << 3, PF_INSTR = 1 << 4, PF_PK = 1 << 5,
            PF_SGX = 1 << 15;

    /** access (read|write|exec), mode (user|kernel), page (not-present|protection) and a sentence. */
    public record PageFault(String access, String mode, String page, String words) {}

    private ErrorCodeExplainer() {}

    public static PageFault pageFault(long code) {
        String access = (code & PF_INSTR) != 0 ? "exec" : (code & PF_WRITE) != 0 ? "write" : "read";
        String mode = (code & PF_USER) != 0 ? "user" : "kernel";
        String page = (code & PF_PROT) != 0 ? "protection" : "not-present";
        String what = switch (access) {
            case "exec" -> "instruction fetch";
            case "write" -> "write";
            default -> "read";
        };
        StringBuilder s = new StringBuilder(mode + "-mode " + what + " of ");
        s.append((code & PF_PROT) != 0 ? "a page whose protection forbids it" : "a page that is not mapped");
        List<String> extra = new ArrayList<>();
        if ((code & PF_RSVD) != 0) extra.add("a reserved bit was set in a page-table entry");
        if ((code & PF_PK) != 0) extra.add("a protection-key violation");
        if ((code & PF_SGX) != 0) extra.add("an SGX enclave fault");
        if (!extra.isEmpty()) s.append(" (").append(String.join(", ", extra)).append(")");
        return new PageFault(access, mode, page, s.toString());
    }

    /** What a fault line other than a segfault means, with its error number. */
    public static String other(String kind, String detail, Long code) {
        return switch (kind) {
            case KernelEvent.GENERAL_PROTECTION -> code != null && code != 0
                    ? "general protection fault on segment selector " + code + " (index " + (code >> 3) + ")"
                    : "general protection fault: usually a non-canonical address (a pointer with garbage in its high bits) "
                    + "or a privileged instruction";
            case KernelEvent.BUS_ERROR -> "bus error (SIGBUS): typically a file mapping accessed past the file's end "
                    + "(the file was truncated under the process) or a misaligned access";
            default -> trap(detail);
        };
    }

    private static String trap(String detail) {
        if (detail.contains("int3")) return "trap int3: a breakpoint instruction ran with no debugger attached (often __builtin_trap "
                + "padding, or code overwritten)";
        if (detail.contains("invalid opcode")) return "trap invalid opcode: the CPU met an undefined instruction "
                + "(ud2 from __builtin_trap/abort paths, code for a newer CPU, or a jump into data)";
        if (detail.contains("divide")) return detail + ": integer division by zero or overflow";
        return detail;
    }
}
