package io.lminspect.inferior;

import io.lminspect.util.Bytes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel's user_regs_struct for x86-64 and i386: the NT_PRSTATUS register
 * set PTRACE_GETREGSET returns, and pr_reg inside a core's NT_PRSTATUS note.
 */
public final class RegisterLayout {
    public static final String[] X86_64 = {"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx",
            "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs"};
    public static final String[] I386 = {"ebx", "ecx", "edx", "esi", "edi", "ebp", "eax", "xds", "xes", "xfs", "xgs",
            "orig_eax", "eip", "xcs", "eflags", "esp", "xss"};
    /** Offset of pr_reg in struct elf_prstatus (x86-64 core, and i386 core). */
    public static final int PRSTATUS_REG_OFFSET_64 = 112, PRSTATUS_REG_OFFSET_32 = 72;
    /** Offset of pr_pid in struct elf_prstatus. */
    public static final int PRSTATUS_PID_OFFSET_64 = 32, PRSTATUS_PID_OFFSET_32 = 24;

    private RegisterLayout() {}

    /** Bytes of a register set: 216 for x86-64, 68 for i386. */
    public static int size(int wordSize) {
        return wordSize == 8 ? X86_64.length * 8 : I386.length * 4;
    }

    /** Decodes a register set; the byte count tells the layout (a 32-bit tracee of a 64-bit tracer gets 68 bytes... or 216). */
    public static Map<String, Long> decode(byte[] b, int off, int len, int wordSize) {
        String[] names = wordSize == 8 ? X86_64 : I386;
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length && off + (i + 1) * wordSize <= off + len && off + (i + 1) * wordSize <= b.length; i++)
            out.put(names[i], Bytes.word(b, off + i * wordSize, wordSize));
        return out;
    }

    public static long pc(Map<String, Long> regs) {
        return regs.getOrDefault("rip", regs.getOrDefault("eip", 0L));
    }

    public static long sp(Map<String, Long> regs) {
        return regs.getOrDefault("rsp", regs.getOrDefault("esp", 0L));
    }
}
