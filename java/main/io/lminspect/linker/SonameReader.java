package io.lminspect.linker;

import io.lminspect.elf.ProgramHeader;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Memory;
import io.lminspect.inferior.ReadRequest;
import io.lminspect.util.Bytes;
import io.lminspect.util.SafeText;

import java.util.ArrayList;
import java.util.List;

/**
 * Computes each object's soname pointer exactly as glibc's _dl_map_object does,
 * {@code D_PTR(l, l_info[DT_STRTAB]) + l_info[DT_SONAME]->d_un.d_val}, where
 * D_PTR adds l_addr only when ld.so did not relocate .dynamic in place
 * (l_ld_readonly: PT_DYNAMIC without PF_W, e.g. the vDSO). Reads all the
 * strings in one batch.
 */
public final class SonameReader {
    public static final int SONAME_CAP = 256;

    private SonameReader() {}

    /** The objects again, each with its soname: the pointers are computed first, then every string is read in one batch. */
    public static List<LoadedObject> read(Memory mem, List<LoadedObject> objects) {
        Soname[] found = new Soname[objects.size()];
        List<ReadRequest> batch = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            LoadedObject o = objects.get(i);
            LinkMapEntry e = o.entry();
            found[i] = Soname.NONE;
            if (!e.hasSonameParts()) continue;
            boolean addsLAddr = addsLAddr(o, mem.wordSize());
            long ptr = e.strtabValue() + e.sonameOffset() + (addsLAddr ? e.lAddr() : 0);
            found[i] = new Soname(ptr, addsLAddr, null, false);
            ReadRequest r = mem.stringRequest(ptr, SONAME_CAP);
            if (r.got == -1) continue; // unmapped: SonameCheck reports it
            batch.add(r);
            owners.add(i);
        }
        mem.readChecked(batch);
        for (int k = 0; k < batch.size(); k++) {
            ReadRequest r = batch.get(k);
            if (r.got <= 0) continue;
            int n = Bytes.indexOfNul(r.data, 0, r.got);
            Soname s = found[owners.get(k)];
            if (n >= 0) found[owners.get(k)] = new Soname(s.pointer(), s.addsLAddr(), SafeText.fromBytes(r.data, 0, n), true);
        }
        List<LoadedObject> out = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) out.add(objects.get(i).withSoname(found[i]));
        return out;
    }

    /**
     * D_PTR's rule as this process's ld.so applies it. Only an l_info[DT_STRTAB] that points into
     * the object's own read-only dynamic array holds a file value needing l_addr; one that points
     * elsewhere (glibc < 2.35's relocated copy for the vDSO) or whose value already lies inside the
     * object's mappings holds an address. A writable .dynamic is relocated in place, so its value
     * is used as it stands, relocated or, after an in-place rewrite, reverted (the case we detect).
     */
    static boolean addsLAddr(LoadedObject o, int wordSize) {
        LinkMapEntry e = o.entry();
        if (e.lAddr() == 0 || !dynamicReadonly(o.programHeaders())) return false;
        int dyn = 2 * wordSize;
        long arrayEnd = e.lLd() + (long) (e.dynamicInMemory().size() + 1) * dyn;
        boolean inOwnArray = e.infoStrtab() >= e.lLd() && e.infoStrtab() < arrayEnd;
        if (!inOwnArray) return false;
        return !insideObject(o, e.strtabValue());
    }

    private static boolean insideObject(LoadedObject o, long address) {
        if (o.dynamicMapping() != null && o.dynamicMapping().contains(address)) return true;
        for (Mapping m : o.fileMappings()) if (m.contains(address)) return true;
        return false;
    }

    static boolean dynamicReadonly(List<ProgramHeader> phdrs) {
        for (ProgramHeader p : phdrs) if (p.type() == ProgramHeader.PT_DYNAMIC) return (p.flags() & ProgramHeader.PF_W) == 0;
        return false;
    }
}
