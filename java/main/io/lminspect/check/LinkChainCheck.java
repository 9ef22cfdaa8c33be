package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.linker.ChainProblem;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.util.Hex;

/** LINK_CHAIN_BROKEN: what the walk found (loops, unreadable entries, l_prev, names and l_ld outside memory). */
public final class LinkChainCheck implements Check {
    /** Entries reported one by one; the rest of a hostile chain is one finding. */
    static final int MAX_ENTRY_FINDINGS = 32;

    @Override
    public void run(Inspection in) {
        for (ChainProblem p : in.state().problems()) {
            Finding.Builder b = Finding.of(Severity.CRITICAL, FindingCode.LINK_CHAIN_BROKEN)
                    .object(p.object() != null ? p.object() : "namespace " + p.namespace())
                    .address(p.address()).message(p.message())
                    .consequence("ld.so walks this chain on every dlopen/dlsym and on exit: it may loop, crash, or miss objects")
                    .remedy("restart the process; find what writes over the loader's heap data (valgrind, ASan)");
            if (p.index() >= 0) b.entry(p.namespace(), p.index());
            in.add(b.build());
        }
        if (in.state().cut() != null)
            in.add(Finding.of(Severity.WARNING, FindingCode.INSPECTION_CUT).object("the link_map")
                    .message(in.state().cut())
                    .consequence("entries past that point were not checked: no healthy process has a chain this large")
                    .remedy("look at what the process loads or builds (a hostile or broken process); lminspect goes on with the others")
                    .build());
        int shown = 0, more = 0;
        for (LinkMapEntry e : in.state().entries()) {
            if (e.walkProblems().isEmpty()) continue;
            // a block per broken entry, up to a bound: a hostile chain of thousands says the rest in one line
            if (shown++ >= MAX_ENTRY_FINDINGS) {
                more++;
                continue;
            }
            Finding.Builder b = Finding.of(Severity.CRITICAL, FindingCode.LINK_CHAIN_BROKEN)
                    .object(e.name().isEmpty() ? "entry " + e.index() : e.name()).entry(e.namespace(), e.index())
                    .address(e.address()).message(e.walkProblems().get(0))
                    .consequence("ld.so follows these pointers on the next dlopen or at exit and may crash or misbehave")
                    .remedy("restart the process; find what writes over the loader's heap data (valgrind, ASan)");
            for (int i = 1; i < e.walkProblems().size(); i++) b.evidence(e.walkProblems().get(i));
            in.add(b.build());
        }
        if (more > 0)
            in.add(Finding.of(Severity.CRITICAL, FindingCode.LINK_CHAIN_BROKEN).object(more + " more entries")
                    .message(more + " more entries have problems like those above (not listed one by one)")
                    .consequence("ld.so follows these pointers on the next dlopen or at exit and may crash or misbehave")
                    .remedy("restart the process; find what writes over the loader's heap data (valgrind, ASan)").build());
        // the evidence rule: memory that could not be had is not judged, said once
        java.util.List<String> unread = in.state().unread();
        if (!unread.isEmpty())
            in.note("not judged: " + unread.get(0) + (unread.size() > 1 ? " (and " + (unread.size() - 1) + " more such pointers)" : "")
                    + "; give the files with --sysroot (or --exe) to judge them");
        if (in.glibc() && !in.state().entries().isEmpty() && !in.state().lInfoVerified())
            in.note("glibc's l_info offset could not be verified on any entry (unknown glibc layout?): soname checks skipped");
    }
}
