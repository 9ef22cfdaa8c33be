package io.lminspect.elf;

import java.util.List;

/**
 * The two kinds of target lminspect reads, each described once. The ELF class
 * fixes the word size and the size of every ELF structure; and since lminspect
 * reads x86 only, it fixes the machine too: ELF64 is x86-64, ELF32 is i386, each
 * with its relocation format, its register set and its library directories.
 * Code asks the class for these rather than testing the word size where it
 * needs one.
 */
public enum ElfClass {
    ELF64(8, "x86_64", ElfFile.EM_X86_64, 64, 56, 64, 24, 4, true, 32,
            List.of("r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi", "rdi",
                    "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs"),
            "x86_64-linux-gnu", "x86_64", "lib64"),
    ELF32(4, "i386", ElfFile.EM_386, 52, 32, 40, 16, 12, false, 8,
            List.of("ebx", "ecx", "edx", "esi", "edi", "ebp", "eax", "xds", "xes", "xfs", "xgs", "orig_eax", "eip", "xcs",
                    "eflags", "esp", "xss"),
            "i386-linux-gnu", "i686", "lib");

    private final int wordSize;
    private final String machineName;
    private final int eMachine;
    private final int ehdrSize, phdrSize, shdrSize, symSize, symInfoOffset;
    private final boolean usesRela;
    private final int rInfoSymbolShift;
    private final List<String> registerNames;
    private final String multiarchTriplet, platform, libDir;

    ElfClass(int wordSize, String machineName, int eMachine, int ehdrSize, int phdrSize, int shdrSize, int symSize,
             int symInfoOffset, boolean usesRela, int rInfoSymbolShift, List<String> registerNames, String multiarchTriplet,
             String platform, String libDir) {
        this.wordSize = wordSize;
        this.machineName = machineName;
        this.eMachine = eMachine;
        this.ehdrSize = ehdrSize;
        this.phdrSize = phdrSize;
        this.shdrSize = shdrSize;
        this.symSize = symSize;
        this.symInfoOffset = symInfoOffset;
        this.usesRela = usesRela;
        this.rInfoSymbolShift = rInfoSymbolShift;
        this.registerNames = registerNames;
        this.multiarchTriplet = multiarchTriplet;
        this.platform = platform;
        this.libDir = libDir;
    }

    /** The class of a target with this word size (8 or 4). */
    public static ElfClass ofWordSize(int wordSize) {
        return switch (wordSize) {
            case 8 -> ELF64;
            case 4 -> ELF32;
            default -> throw new IllegalArgumentException("word size " + wordSize);
        };
    }

    /** The class e_ident[EI_CLASS] names (2 or 1), or null for any other value. */
    public static ElfClass ofIdent(int eiClass) {
        return eiClass == 2 ? ELF64 : eiClass == 1 ? ELF32 : null;
    }

    public int wordSize() { return wordSize; }

    /** How uname and docs name the machine: "x86_64" or "i386". */
    public String machineName() { return machineName; }

    /** e_machine: EM_X86_64 (62) or EM_386 (3). */
    public int eMachine() { return eMachine; }

    /** Elf_Ehdr: 64 or 52 bytes. */
    public int ehdrSize() { return ehdrSize; }

    /** Elf_Phdr: 56 or 32 bytes (also what AT_PHENT says). */
    public int phdrSize() { return phdrSize; }

    /** Elf_Shdr: 64 or 40 bytes. */
    public int shdrSize() { return shdrSize; }

    /** Elf_Dyn: a tag word and a value word. */
    public int dynSize() { return 2 * wordSize; }

    /** Elf_Sym: 24 or 16 bytes. */
    public int symSize() { return symSize; }

    /** Where st_info lies in an Elf_Sym (st_other and st_shndx follow it): the two classes order the fields differently. */
    public int symInfoOffset() { return symInfoOffset; }

    /** The machine's own relocation format: RELA on x86-64, REL on i386 (what DT_JMPREL holds when DT_PLTREL is absent). */
    public boolean usesRela() { return usesRela; }

    /** ELF64_R_TYPE / ELF32_R_TYPE. */
    public int relocType(long rInfo) {
        return (int) (rInfo & ((1L << rInfoSymbolShift) - 1));
    }

    /** ELF64_R_SYM / ELF32_R_SYM. */
    public int relocSymbol(long rInfo) {
        return (int) (rInfo >>> rInfoSymbolShift);
    }

    /** The kernel's user_regs_struct, in order (the NT_PRSTATUS register set). */
    public List<String> registerNames() { return registerNames; }

    /** Bytes of that register set: 216 for x86-64, 68 for i386. */
    public int registerSetSize() { return registerNames.size() * wordSize; }

    /** Debian's multiarch directory name: "x86_64-linux-gnu" or "i386-linux-gnu". */
    public String multiarchTriplet() { return multiarchTriplet; }

    /** AT_PLATFORM's usual value, for when the auxv has none. */
    public String platform() { return platform; }

    /** The library directory of a distribution without multiarch: "lib64" or "lib". */
    public String libDir() { return libDir; }
}
