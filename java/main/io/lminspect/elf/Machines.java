package io.lminspect.elf;

import java.util.Map;

/**
 * Names of ELF machines (e_machine), for the one line that refuses a target we do not read:
 * "a core of AArch64", never "machine 183".
 */
public final class Machines {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(2, "SPARC"), Map.entry(3, "i386"), Map.entry(8, "MIPS"), Map.entry(20, "PowerPC"),
            Map.entry(21, "PowerPC64"), Map.entry(22, "s390"), Map.entry(40, "ARM"), Map.entry(42, "SuperH"),
            Map.entry(43, "SPARC64"), Map.entry(50, "IA-64"), Map.entry(62, "x86-64"), Map.entry(183, "AArch64"),
            Map.entry(243, "RISC-V"), Map.entry(258, "LoongArch"));

    private Machines() {}

    public static String name(int eMachine) {
        String n = NAMES.get(eMachine);
        return n != null ? n : "unknown machine " + eMachine;
    }

    /**
     * Which target an ELF identification and machine describe when lminspect does not read it
     * ("big-endian PowerPC64", "x32 (x86-64 code with 32-bit pointers)", "AArch64"), or null
     * for x86-64 as ELF64 and i386 as ELF32, little-endian. ident: the first 16 bytes at least.
     */
    public static String unsupported(byte[] ident, int eMachineLittle, int eMachineBig) {
        boolean big = ident[5] == 2;
        int machine = big ? eMachineBig : eMachineLittle;
        String name = name(machine);
        if (big) return "big-endian " + name;
        if (ident[5] != 1) return "unknown byte order " + ident[5];
        if (machine == ElfFile.EM_X86_64 && ident[4] == 1) return "x32 (x86-64 code with 32-bit pointers)";
        if (machine == ElfFile.EM_X86_64 && ident[4] == 2 || machine == ElfFile.EM_386 && ident[4] == 1) return null;
        return name + (machine == ElfFile.EM_X86_64 || machine == ElfFile.EM_386 ? " in the other ELF class" : "");
    }
}
