package io.lminspect.linker;

import io.lminspect.elf.ElfClass;
import io.lminspect.elf.ProgramHeader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The load bias from AT_PHDR, with and without PT_PHDR, for both ELF classes. */
class RDebugLocatorTest {
    static final long BASE = 0x5655_6000L;

    private static ProgramHeader load(long offset, long vaddr) {
        return new ProgramHeader(ProgramHeader.PT_LOAD, ProgramHeader.PF_R, offset, vaddr, 0x1000, 0x1000, 0x1000);
    }

    @Test
    void ptPhdrGivesTheBiasDirectly() {
        List<ProgramHeader> phdrs = List.of(new ProgramHeader(ProgramHeader.PT_PHDR, ProgramHeader.PF_R, 0x40, 0x40, 0x1c0, 0x1c0, 8),
                load(0, 0));
        assertEquals(BASE, RDebugLocator.loadBias(phdrs, BASE + 0x40, ElfClass.ELF64));
    }

    @Test
    void withoutPtPhdrTheHeadersFollowA64ByteElf64Header() {
        assertEquals(BASE, RDebugLocator.loadBias(List.of(load(0, 0)), BASE + 64, ElfClass.ELF64));
    }

    @Test
    void withoutPtPhdrTheHeadersFollowA52ByteElf32Header() {
        // an i386 executable without PT_PHDR: AT_PHDR is the load address + 52, not + 64
        assertEquals(BASE, RDebugLocator.loadBias(List.of(load(0, 0)), BASE + 52, ElfClass.ELF32));
    }

    @Test
    void aNonPieLinkAddressIsSubtracted() {
        assertEquals(0, RDebugLocator.loadBias(List.of(load(0, 0x8048000L)), 0x8048000L + 52, ElfClass.ELF32));
    }

    @Test
    void noHeaderToGoByMeansNoBias() {
        assertEquals(0, RDebugLocator.loadBias(List.of(load(0x1000, 0x1000)), BASE + 64, ElfClass.ELF64));
    }
}
