package io.lminspect.layout;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.util.ByteSize;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.util.Optional;

/** BRK_HEADROOM_LOW: the heap cannot grow because a mapping sits closer above brk than the limit. */
public final class BrkHeadroomCheck {
    private BrkHeadroomCheck() {}

    public static Optional<Finding> check(AddressSpaceLayout layout, LayoutFacts facts, long limit) {
        AddressSpaceLayout.Brk brk = layout.brk();
        if (brk == null || brk.next() == null || Long.compareUnsigned(brk.headroom(), limit) >= 0) return Optional.empty();
        String next = brk.next().path().isEmpty() ? "an anonymous mapping" : SafeText.clean(brk.next().path());
        String remedy = layout.bottomUp()
                ? "the legacy layout puts mmap()s right above the heap: run the program without it (" + (facts.legacyReason() == null
                ? "check setarch -L, vm.legacy_va_layout and ulimit -s" : "here " + facts.legacyReason()) + ") and restart it"
                : "find what mapped " + Hex.of(brk.next().start()) + " so close above the heap, or allocate with mmap instead of brk";
        return Optional.of(Finding.of(Severity.WARNING, FindingCode.BRK_HEADROOM_LOW)
                .object(next)
                .address(brk.end())
                .message("brk can grow only from " + Hex.of(brk.end()) + " to " + Hex.of(brk.next().start()) + " ("
                        + ByteSize.format(brk.headroom()) + ", under the " + ByteSize.format(limit) + " limit) before it meets " + next)
                .evidence("start_brk " + Hex.of(brk.start()) + " (/proc/PID/stat field 47), brk " + Hex.of(brk.end()) + " (end of [heap] in /proc/PID/maps)")
                .evidence("next mapping " + brk.next().range() + " " + brk.next().perms())
                .consequence("once the heap needs more, brk() fails: glibc malloc falls back to mmap, but brk-only allocators "
                        + "(bash's, some embedded ones) report out of memory")
                .remedy(remedy)
                .build());
    }
}
