package io.lminspect.elf;

/** A dynamic relocation: where (r_offset, a link-time address), what kind, which symbol, the addend. */
public record Relocation(long offset, int type, int symIndex, long addend, boolean explicitAddend) {
    // x86-64
    public static final int R_X86_64_64 = 1, R_X86_64_GLOB_DAT = 6, R_X86_64_JUMP_SLOT = 7, R_X86_64_RELATIVE = 8,
            R_X86_64_IRELATIVE = 37;
    // i386
    public static final int R_386_32 = 1, R_386_GLOB_DAT = 6, R_386_JMP_SLOT = 7, R_386_RELATIVE = 8,
            R_386_IRELATIVE = 42;
    /** Synthetic type for entries decoded from DT_RELR (always relative). */
    public static final int RELR = -1;
}
