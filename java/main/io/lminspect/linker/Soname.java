package io.lminspect.linker;

/**
 * An object's soname as ld.so's _dl_map_object reaches it, computed after the
 * walk because D_PTR's rule needs the object's file (see SonameReader).
 *
 * @param pointer         D_PTR(l, l_info[DT_STRTAB]) + l_info[DT_SONAME]->d_val: what ld.so hands to strcmp; 0 when not computed
 * @param addsLAddr       D_PTR adds l_addr: l_info points into a read-only .dynamic left as in the file (the vDSO on glibc 2.35+)
 * @param text            the NUL-terminated string at the pointer, escaped for printing; null when there is none
 * @param readable        a NUL byte was reached within readable memory
 */
public record Soname(long pointer, boolean addsLAddr, String text, boolean readable) {
    /** For an entry whose soname pointer cannot be computed (musl, no DT_SONAME, l_info unreadable). */
    public static final Soname NONE = new Soname(0, false, null, false);
}
