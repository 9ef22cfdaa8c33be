package io.lminspect.linker;

import io.lminspect.elf.DynamicEntry;

import java.util.List;

/**
 * One object in the loader's chain, as the walk read it: the raw fields and
 * what the pointers they hold lead to. Immutable: what is learnt later (the
 * soname, from the object's file; the status, from the findings) lives in
 * {@link Soname} and in the checks, not here.
 *
 * @param address         address of the struct itself
 * @param name            l_name decoded and escaped for printing; "" for the main program
 * @param infoStrtab      l_info[DT_STRTAB]: a pointer into the dynamic array (glibc only)
 * @param infoSoname      l_info[DT_SONAME]: likewise
 * @param lInfoVerified   l_info[DT_STRTAB] was found to point at a DT_STRTAB entry of the array at l_ld
 * @param strtabValue     d_ptr of that DT_STRTAB entry as memory holds it now (an unsigned 64-bit value; see strtabRead)
 * @param sonameOffset    d_val of the DT_SONAME entry l_info points at (unsigned: a hostile 0x8000… is a value, not "absent")
 * @param strtabRead      strtabValue was read
 * @param sonameRead      sonameOffset was read
 * @param dynamicInMemory the dynamic array at l_ld as memory holds it (capped)
 * @param walkProblems    what the walk itself found wrong with this entry (pointers outside mappings…)
 */
public record LinkMapEntry(int namespace, int index, long address, long lAddr, long lNamePtr, long lLd, long lNext, long lPrev,
                           String name, boolean nameReadable, boolean nameTerminated, int nameLength,
                           long infoStrtab, long infoSoname, boolean lInfoVerified, long strtabValue, long sonameOffset,
                           boolean strtabRead, boolean sonameRead,
                           List<DynamicEntry> dynamicInMemory, boolean dynamicReadable, List<String> walkProblems) {

    public LinkMapEntry {
        dynamicInMemory = List.copyOf(dynamicInMemory);
        walkProblems = List.copyOf(walkProblems);
    }

    public boolean isVdso() {
        return name.startsWith("linux-vdso") || name.startsWith("linux-gate");
    }

    public boolean isMainProgram() {
        return namespace == 0 && index == 0 && name.isEmpty();
    }

    /** Both halves of glibc's soname pointer were read: l_info[DT_STRTAB]'s d_ptr and l_info[DT_SONAME]'s d_val. */
    public boolean hasSonameParts() {
        return infoSoname != 0 && strtabRead && sonameRead;
    }
}
