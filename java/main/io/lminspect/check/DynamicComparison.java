package io.lminspect.check;

import io.lminspect.elf.DynamicEntry;
import io.lminspect.elf.DynamicTag;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.LoadedObject;

import java.util.List;

/**
 * The object's .dynamic in memory against the file's. glibc adds l_addr to the
 * d_ptr of a few tags in place (unless PT_DYNAMIC is read-only); after the file
 * is truncated/rewritten that page is read back from the file, so the values
 * equal the file's raw ones again.
 */
public record DynamicComparison(boolean applicable, String why, int relocated, int unrelocated, int differing,
                                long strtabFile, long strtabMemory) {

    public boolean isUnrelocated() {
        return applicable && unrelocated > 0 && relocated == 0;
    }

    static DynamicComparison of(LoadedObject o, boolean glibc) {
        LinkMapEntry e = o.entry();
        if (!glibc) return no("musl never rewrites .dynamic in place");
        if (o.elf() == null) return no("the mapped file could not be read");
        if (e.lAddr() == 0) return no("l_addr is 0: file values and relocated values are the same");
        ProgramHeader pd = o.elf().firstOfType(ProgramHeader.PT_DYNAMIC);
        if (pd == null) return no("no PT_DYNAMIC");
        if ((pd.flags() & ProgramHeader.PF_W) == 0) return no("PT_DYNAMIC is read-only: ld.so does not relocate it");
        if (!e.dynamicReadable()) return no(".dynamic is not readable in memory");
        List<DynamicEntry> file = o.elf().dynamic().entries();
        List<DynamicEntry> mem = e.dynamicInMemory();
        int rel = 0, unrel = 0, diff = 0;
        long sf = -1, sm = -1;
        for (int i = 0; i < file.size() && i < mem.size(); i++) {
            DynamicEntry f = file.get(i), m = mem.get(i);
            if (f.tag() != m.tag()) {
                diff++;
                continue;
            }
            if (f.tag() == DynamicTag.DT_STRTAB) {
                sf = f.value();
                sm = m.value();
            }
            if (!DynamicTag.relocatedByGlibc(f.tag()) || f.value() == 0) continue;
            if (m.value() == f.value()) unrel++;
            else if (m.value() == e.lAddr() + f.value()) rel++;
            else diff++;
        }
        return new DynamicComparison(true, null, rel, unrel, diff, sf, sm);
    }

    private static DynamicComparison no(String why) {
        return new DynamicComparison(false, why, 0, 0, 0, -1, -1);
    }
}
