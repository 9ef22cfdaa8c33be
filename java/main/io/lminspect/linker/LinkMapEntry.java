package io.lminspect.linker;

import io.lminspect.elf.DynamicEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * One object in the loader's chain, as read from the target: the raw fields
 * and what the pointers they hold lead to. Filled by LinkMapWalker; the
 * object analysis and the checks only read it.
 */
public final class LinkMapEntry {
    public int namespace;
    public int index;
    /** Address of the struct itself. */
    public long address;
    public long lAddr;
    public long lNamePtr;
    public long lLd;
    public long lNext;
    public long lPrev;

    /** l_name decoded and escaped for printing; "" for the main program. */
    public String name = "";
    public boolean nameReadable;
    public boolean nameTerminated;
    public int nameLength;

    /** l_info[DT_STRTAB] and l_info[DT_SONAME]: pointers into the dynamic array (glibc only). */
    public long infoStrtab;
    public long infoSoname;
    /** True when l_info[DT_STRTAB] was found to point at a DT_STRTAB entry of the array at l_ld. */
    public boolean lInfoVerified;
    /** d_ptr of the DT_STRTAB entry, and d_val of the DT_SONAME entry, as memory holds them now. */
    public long strtabValue = -1;
    public long sonameOffset = -1;
    /** D_PTR(l, l_info[DT_STRTAB]) + soname offset: the pointer ld.so hands to strcmp (set by SonameReader). */
    public long sonamePtr;
    /** PT_DYNAMIC is read-only, so ld.so left .dynamic as in the file and D_PTR adds l_addr (the vDSO). */
    public boolean dynamicReadonly;
    public String soname;
    public boolean sonameReadable;

    /** The dynamic array at l_ld as memory holds it (capped). */
    public List<DynamicEntry> dynamicInMemory = List.of();
    public boolean dynamicReadable;

    public Status status = Status.OK;
    /** What the walk itself found wrong with this entry (pointers outside mappings…). */
    public final List<String> walkProblems = new ArrayList<>();

    public enum Status {
        OK("ok"), CORRUPT("corrupt"), STALE("stale");

        public final String json;

        Status(String json) {
            this.json = json;
        }
    }

    public boolean isVdso() {
        return name.startsWith("linux-vdso") || name.startsWith("linux-gate");
    }

    public boolean isMainProgram() {
        return namespace == 0 && index == 0 && name.isEmpty();
    }
}
