package io.lminspect.linker;

import io.lminspect.elf.ElfFile;
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

    public static void read(Memory mem, List<LoadedObject> objects) {
        List<ReadRequest> batch = new ArrayList<>();
        List<LinkMapEntry> owners = new ArrayList<>();
        for (LoadedObject o : objects) {
            LinkMapEntry e = o.entry();
            if (e.infoSoname == 0 || e.sonameOffset < 0 || e.strtabValue < 0) continue;
            e.dynamicReadonly = dynamicReadonly(o.elf());
            e.sonamePtr = e.strtabValue + e.sonameOffset + (e.dynamicReadonly ? e.lAddr : 0);
            ReadRequest r = mem.stringRequest(e.sonamePtr, SONAME_CAP);
            if (r.got == -1) continue; // unmapped: SonameCheck reports it
            batch.add(r);
            owners.add(e);
        }
        mem.readChecked(batch);
        for (int i = 0; i < batch.size(); i++) {
            ReadRequest r = batch.get(i);
            LinkMapEntry e = owners.get(i);
            if (r.got <= 0) continue;
            int n = Bytes.indexOfNul(r.data, 0, r.got);
            e.sonameReadable = n >= 0;
            if (n >= 0) e.soname = SafeText.fromBytes(r.data, 0, n);
        }
    }

    static boolean dynamicReadonly(ElfFile elf) {
        if (elf == null) return false;
        ProgramHeader pd = elf.firstOfType(ProgramHeader.PT_DYNAMIC);
        return pd != null && (pd.flags() & ProgramHeader.PF_W) == 0;
    }
}
