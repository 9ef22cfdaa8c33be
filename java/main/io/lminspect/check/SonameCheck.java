package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.finding.Remedies;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.LoadedObject;
import io.lminspect.linker.Soname;
import io.lminspect.linker.SonameReader;
import io.lminspect.inferior.Mapping;
import io.lminspect.util.Hex;

/**
 * SONAME_UNMAPPED: the pointer ld.so's _dl_map_object hands to strcmp,
 * D_PTR(l, l_info[DT_STRTAB]) + l_info[DT_SONAME]->d_val, must be readable (the overwritten-library incident).
 */
public final class SonameCheck implements Check {
    @Override
    public void run(Inspection in) {
        if (!in.glibc()) {
            if ("musl".equals(in.state().layout().libc()))
                in.note("musl matches loaded libraries by name and inode, never by soname: the soname check does not apply");
            return;
        }
        if (!in.state().lInfoVerified()) return;
        int notJudged = 0;
        for (LoadedObject o : in.objects()) {
            LinkMapEntry e = o.entry();
            if (!e.hasSonameParts()) continue;
            Soname so = o.soname();
            Mapping m = in.memory().mappings().find(so.pointer());
            boolean readable = m != null && m.readable();
            if (readable && so.readable()) continue;
            if (readable && in.memory().firstUnavailable(so.pointer(), SonameReader.SONAME_CAP) >= 0) {
                notJudged++;
                continue;
            }
            String where = m == null ? "lies outside every mapping"
                    : !m.readable() ? "lies in the unreadable mapping " + m.range()
                    : "does not reach a NUL byte within readable memory";
            Finding.Builder b = Finding.of(Severity.CRITICAL, FindingCode.SONAME_UNMAPPED)
                    .object(o.displayName()).mapped(o.mappedPath(), o.mappedFileId()).entry(e.namespace(), e.index()).address(so.pointer())
                    .message("soname pointer " + Hex.of(so.pointer()) + " = " + (so.addsLAddr() ? "l_addr + " : "")
                            + "l_info[DT_STRTAB] " + Hex.of(e.strtabValue()) + " + DT_SONAME " + Hex.of(e.sonameOffset()) + " " + where);
            DynamicComparison d = in.dynamic(o);
            if (d.isUnrelocated())
                b.evidence(".dynamic holds the file's unrelocated values (DT_STRTAB " + Hex.of(d.strtabFile())
                        + ", expected l_addr+" + Hex.of(d.strtabFile()) + " = " + Hex.of(e.lAddr() + d.strtabFile()) + ")");
            FileHistory h = in.history(o);
            // the file's story is evidence only when it changed (an untouched file reads as reassurance)
            if (h != null && (h.writtenAfterStart() || h.pastEofPages() > 0 || h.replaced() || h.deletedNoReplacement()))
                b.evidence(FileRewrittenCheck.describe(h, o));
            in.add(b.consequence(Remedies.NEXT_DLOPEN_CRASHES).remedy(Remedies.RESTART_AND_INSTALL).build());
        }
        if (notJudged > 0)
            in.note("not judged: the soname strings of " + notJudged + " objects lie in pages the core did not dump, and their files"
                    + " are not available; give them with --sysroot to check those pointers");
    }
}
