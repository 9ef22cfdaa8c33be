package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.finding.Remedies;
import io.lminspect.linker.LoadedObject;
import io.lminspect.util.Hex;

/** DYNAMIC_UNRELOCATED: the relocated .dynamic page was dropped and read back from the file. */
public final class DynamicUnrelocatedCheck implements Check {
    @Override
    public void run(Inspection in) {
        for (LoadedObject o : in.objects()) {
            if (!in.deepCheck(o)) continue;
            DynamicComparison d = in.dynamic(o);
            if (!d.isUnrelocated()) continue;
            var e = o.entry();
            String strtab = d.strtabFile() >= 0
                    ? " (DT_STRTAB reads " + Hex.of(d.strtabMemory()) + ", expected l_addr " + Hex.of(e.lAddr()) + " + "
                      + Hex.of(d.strtabFile()) + " = " + Hex.of(e.lAddr() + d.strtabFile()) + ")"
                    : "";
            Finding.Builder b = Finding.of(Severity.CRITICAL, FindingCode.DYNAMIC_UNRELOCATED)
                    .object(o.displayName()).mapped(o.mappedPath(), o.mappedFileId()).entry(e.namespace(), e.index()).address(e.lLd())
                    .message(".dynamic at l_ld " + Hex.of(e.lLd()) + " holds the file's raw d_ptr values although l_addr is "
                            + Hex.of(e.lAddr()) + strtab)
                    .evidence(d.unrelocated() + " pointer entries equal the file's values, " + d.relocated() + " are relocated")
                    .consequence("ld.so reads symbol and string tables of this object at unmapped addresses: "
                            + "the next dlopen or dlsym that looks at it crashes")
                    .remedy(Remedies.RESTART_AND_INSTALL);
            FileHistory h = in.history(o);
            if (h != null) b.evidence(FileRewrittenCheck.describe(h, o));
            in.add(b.build());
        }
    }
}
