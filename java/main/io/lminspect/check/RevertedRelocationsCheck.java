package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.finding.Remedies;
import io.lminspect.linker.LoadedObject;
import io.lminspect.util.Hex;

/** RELOCATIONS_REVERTED: GOT/RELRO/data words read back as the file's unrelocated bytes. */
public final class RevertedRelocationsCheck implements Check {
    @Override
    public void run(Inspection in) {
        for (LoadedObject o : in.objects()) {
            if (o.entry().isVdso() || !in.deepCheck(o)) continue;
            RelocationComparison r = in.relocations(o);
            if (!r.isReverted()) continue;
            var e = o.entry();
            String expected = r.exampleExpected() == -1 ? "a resolved symbol address" : Hex.of(r.exampleExpected());
            in.add(Finding.of(Severity.CRITICAL, FindingCode.RELOCATIONS_REVERTED)
                    .object(o.displayName()).mapped(o.mappedPath(), o.mappedFileId()).entry(e.namespace(), e.index()).address(r.exampleAddress())
                    .message(r.reverted() + " of " + r.checked() + " relocated words read back as the file's raw bytes, e.g. "
                            + Hex.of(r.exampleAddress()) + " holds " + Hex.of(r.exampleValue()) + ", expected " + expected)
                    .evidence("the private (relocated) pages of this object were dropped and read back from the file")
                    .consequence("code of this object that uses these pointers (GOT entries, vtables, static data) jumps to or reads unmapped addresses")
                    .remedy(Remedies.RESTART_AND_INSTALL).build());
        }
    }
}
