package io.lminspect.linker;

import io.lminspect.elf.ArrayByteSource;
import io.lminspect.elf.ElfFile;

import java.util.Arrays;

/**
 * The vDSO's ELF image parsed once per distinct image: every process of a kernel maps the
 * same bytes (only its address differs), so a host scan reads each process's copy and
 * compares it byte for byte with the last one parsed instead of parsing it again. A copy that
 * differs by one byte (another kernel's core, a hostile target) is parsed on its own.
 */
final class VdsoImage {
    private VdsoImage() {}

    private record Parsed(byte[] image, ElfFile elf) {}

    private static volatile Parsed last;

    static ElfFile parse(byte[] image) {
        Parsed p = last;
        if (p != null && Arrays.equals(p.image, image)) return p.elf;
        ElfFile elf = ElfFile.parse(new ArrayByteSource(image, "[vdso]"));
        last = new Parsed(image, elf);
        return elf;
    }
}
