package io.lminspect.linker;

import io.lminspect.elf.ProgramHeader;
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
    static final int SONAME_CAP = 256;

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
            boolean readonly = dynamicReadonly(o.programHeaders());
            long ptr = e.strtabValue() + e.sonameOffset() + (readonly ? e.lAddr() : 0);
            found[i] = new Soname(ptr, readonly, null, false);
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
            if (n >= 0) found[owners.get(k)] = new Soname(s.pointer(), s.dynamicReadonly(), SafeText.fromBytes(r.data, 0, n), true);
        }
        List<LoadedObject> out = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) out.add(objects.get(i).withSoname(found[i]));
        return out;
    }

    static boolean dynamicReadonly(List<ProgramHeader> phdrs) {
        for (ProgramHeader p : phdrs) if (p.type() == ProgramHeader.PT_DYNAMIC) return (p.flags() & ProgramHeader.PF_W) == 0;
        return false;
    }
}
