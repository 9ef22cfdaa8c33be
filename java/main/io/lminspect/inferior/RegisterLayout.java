package io.lminspect.inferior;

import io.lminspect.elf.ElfClass;
import io.lminspect.util.Bytes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's user_regs_struct for x86-64 and i386 (names in ElfClass): the
 * NT_PRSTATUS register set PTRACE_GETREGSET returns, and pr_reg inside a core's
 * NT_PRSTATUS note.
 */
public final class RegisterLayout {
    private RegisterLayout() {}

    /** Decodes a register set of the given class; a short one gives the registers it holds. */
    public static Map<String, Long> decode(byte[] b, int off, int len, ElfClass c) {
        List<String> names = c.registerNames();
        int w = c.wordSize();
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size() && off + (i + 1) * w <= off + len && off + (i + 1) * w <= b.length; i++)
            out.put(names.get(i), Bytes.word(b, off + i * w, w));
        return out;
    }

    public static long pc(Map<String, Long> regs) {
        return regs.getOrDefault("rip", regs.getOrDefault("eip", 0L));
    }

    public static long sp(Map<String, Long> regs) {
        return regs.getOrDefault("rsp", regs.getOrDefault("esp", 0L));
    }
}
