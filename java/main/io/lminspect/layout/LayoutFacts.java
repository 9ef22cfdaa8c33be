package io.lminspect.layout;

import io.lminspect.inferior.ProcFs;
import io.lminspect.util.InspectException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What decides the kernel's choice of layout (arch_pick_mmap_layout /
 * mmap_is_legacy): the ADDR_COMPAT_LAYOUT personality flag, vm.legacy_va_layout,
 * an unlimited stack rlimit; plus the ASLR setting. Unknown values are null.
 */
public record LayoutFacts(Long personality, Integer randomizeVaSpace, Integer legacyVaLayout, String stackLimit) {
    /** include/uapi/linux/personality.h */
    public static final long ADDR_COMPAT_LAYOUT = 0x0200000, ADDR_NO_RANDOMIZE = 0x0040000;

    public static LayoutFacts read(int pid) {
        Long pers = null;
        try {
            pers = Long.parseLong(ProcFs.readText(pid, "personality").trim(), 16);
        } catch (InspectException | NumberFormatException e) {
            pers = null; // personality needs ptrace-read access; the layout is still judged from the addresses
        }
        String stack = null;
        try {
            for (String l : ProcFs.readText(pid, "limits").split("\n"))
                if (l.startsWith("Max stack size")) stack = l.substring("Max stack size".length()).trim().split("\\s+")[0];
        } catch (InspectException e) {
            stack = null;
        }
        return new LayoutFacts(pers, sysctl("randomize_va_space", "kernel"), sysctl("legacy_va_layout", "vm"), stack);
    }

    private static Integer sysctl(String name, String dir) {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys", dir, name)).trim());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public boolean addrCompatLayout() {
        return personality != null && (personality & ADDR_COMPAT_LAYOUT) != 0;
    }

    public boolean noRandomize() {
        return personality != null && (personality & ADDR_NO_RANDOMIZE) != 0;
    }

    /** Why the kernel would pick the legacy layout, or null when nothing says it should. */
    public String legacyReason() {
        if (addrCompatLayout()) return "the process runs with the ADDR_COMPAT_LAYOUT personality (setarch -L)";
        if (legacyVaLayout != null && legacyVaLayout != 0) return "vm.legacy_va_layout is " + legacyVaLayout;
        if ("unlimited".equals(stackLimit)) return "its stack size limit is unlimited (ulimit -s unlimited)";
        return null;
    }

    public String aslrWords() {
        if (randomizeVaSpace == null) return "unknown";
        return switch (randomizeVaSpace) {
            case 0 -> "off (kernel.randomize_va_space=0)";
            case 1 -> "stack, mmap and vdso randomized, brk not (kernel.randomize_va_space=1)";
            default -> "full (kernel.randomize_va_space=" + randomizeVaSpace + ")";
        } + (noRandomize() ? "; disabled for this process by ADDR_NO_RANDOMIZE (setarch -R)" : "");
    }
}
