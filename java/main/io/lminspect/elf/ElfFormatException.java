package io.lminspect.elf;

/** The only exception the ELF and core parsers throw on bad input. */
public class ElfFormatException extends RuntimeException {
    public ElfFormatException(String message) {
        super(message);
    }
}
