package io.lminspect.crash;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.check.Inspection;
import io.lminspect.finding.Severity;
import io.lminspect.linker.AddressNamer;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.LoadedObject;
import io.lminspect.inferior.CoreFile;
import io.lminspect.inferior.CoreThread;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.SignalInfo;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.util.ArrayList;
import java.util.List;

/**
 * Explains a core's crash: the signal, where the faulting thread was (the first
 * NT_PRSTATUS is the thread that took the signal), and — the part a backtrace
 * does not give — which link_map entry's pointer the fault address is, and
 * what the inspection found wrong with that entry.
 */
public final class CrashAnalyzer {
    /** How far from a link_map pointer a fault still counts as "near" it (strcmp reads a few bytes in). */
    static final long NEAR = 0x100;

    private final CoreFile core;
    private final Inspection in;
    private final AddressNamer namer;

    public CrashAnalyzer(CoreFile core, Inspection in, AddressNamer namer) {
        this.core = core;
        this.in = in;
        this.namer = namer;
    }

    /** A pointer held by a link_map entry, named for the explanation. */
    record Pointer(LoadedObject object, String what, long value) {}

    public Crash analyze() {
        SignalInfo s = core.signal();
        List<CoreThread> threads = core.threads();
        CoreThread t = threads.isEmpty() ? null : threads.get(0);
        long pc = t == null ? 0 : t.state().pc();
        AddressNamer.Name pcName = t == null ? null : namer.name(pc);
        String caller = t == null ? null : callerOf(t.state().sp());
        String codeName = s.signo() == 0 ? null : SignalNames.code(s.signo(), s.code());
        Long address = s.hasAddress() ? s.address() : null;
        String explanation = explain(s, codeName, pc, pcName, caller);
        return new Crash(s.signo(), SignalNames.signal(s.signo()), codeName, address, pc,
                pcName == null ? null : SafeText.clean(pcName.object()), pcName == null ? null : pcName.symbolText(), caller,
                t == null ? 0 : t.state().tid(), explanation);
    }

    /**
     * The word at sp named as code: right after a call (leaf functions like
     * strcmp push no frame) it is the return address into the caller.
     */
    private String callerOf(long sp) {
        Long word = in.memory().readWord(sp);
        if (word == null) return null;
        Mapping m = in.memory().mappings().find(word);
        if (m == null || !m.executable()) return null;
        AddressNamer.Name n = namer.name(word);
        return n == null ? null : n.toString();
    }

    private String explain(SignalInfo s, String codeName, long pc, AddressNamer.Name pcName, String caller) {
        if (s.signo() == 0)
            return "no signal was being delivered: the core is a snapshot (gcore, or a process that was not crashing); "
                    + "the first thread's registers are shown";
        StringBuilder sb = new StringBuilder(SignalNames.signal(s.signo()) == null ? "signal " + s.signo() : SignalNames.signal(s.signo()));
        String meaning = codeName == null ? null : SignalNames.meaning(codeName);
        sb.append(" (").append(codeName).append(meaning == null ? "" : ": " + meaning).append(")");
        if (s.hasAddress()) sb.append(s.address() == pc ? " executing " : " accessing ").append(Hex.of(s.address()));
        sb.append(", pc ").append(Hex.of(pc));
        if (pcName != null) sb.append(" in ").append(SafeText.clean(pcName.toString())).append(inInterpreter(pc) ? " (the dynamic linker)" : "");
        if (caller != null) sb.append(", called from ").append(SafeText.clean(caller));
        if (!s.hasAddress()) return sb.append(".").toString();
        Pointer p = nearestPointer(s.address());
        if (p == null) {
            Mapping m = in.memory().mappings().find(s.address());
            sb.append(". ").append(Hex.of(s.address())).append(m == null
                    ? " lies in no mapping of the process and is none of the link_map's pointers"
                    : " lies in " + describe(m) + "; it is none of the link_map's pointers");
            return sb.append(".").toString();
        }
        LinkMapEntry e = p.object().entry();
        long delta = s.address() - p.value();
        sb.append(". ").append(Hex.of(s.address())).append(delta == 0 ? " is " : delta > 0 ? " is " + Hex.of(delta) + " past " : " is " + Hex.of(-delta) + " before ")
                .append("the ").append(p.what()).append(" of entry ").append(e.index())
                .append(e.namespace() != 0 ? " (namespace " + e.namespace() + ")" : "").append(" ").append(SafeText.clean(p.object().displayName()));
        List<FindingCode> codes = criticalCodes(e);
        if (codes.contains(FindingCode.DYNAMIC_UNRELOCATED)) sb.append(", whose .dynamic is unrelocated");
        else if (codes.contains(FindingCode.SONAME_UNMAPPED)) sb.append(", whose soname pointer lies outside every mapping");
        if (codes.contains(FindingCode.DYNAMIC_UNRELOCATED) || codes.contains(FindingCode.RELOCATIONS_REVERTED))
            sb.append("; that library was rewritten in place while mapped (its relocated pages were dropped and read back from the file)");
        if (p.what().startsWith("soname"))
            sb.append("; ld.so follows every loaded object's soname pointer when dlopen() looks for an already-loaded library");
        return sb.append(".").toString();
    }

    private boolean inInterpreter(long pc) {
        Mapping base = in.memory().mappings().find(core.auxv().get(io.lminspect.inferior.Auxv.AT_BASE));
        Mapping m = in.memory().mappings().find(pc);
        return base != null && m != null && m.fileBacked() && m.fileId().equals(base.fileId());
    }

    private List<FindingCode> criticalCodes(LinkMapEntry e) {
        List<FindingCode> out = new ArrayList<>();
        for (Finding f : in.findings())
            if (f.severity() == Severity.CRITICAL && f.entry() != null && f.entry() == e.index() && f.namespace() != null && f.namespace() == e.namespace())
                out.add(f.code());
        return out;
    }

    /** The entry pointer equal to addr, else the closest one within NEAR; soname pointers first on ties. */
    Pointer nearestPointer(long addr) {
        Pointer best = null;
        long bestDistance = Long.MAX_VALUE;
        for (LoadedObject o : in.objects()) {
            for (Pointer p : pointersOf(o)) {
                long d = Math.abs(addr - p.value());
                if (Long.compareUnsigned(d, NEAR) > 0 || d >= bestDistance) continue;
                best = p;
                bestDistance = d;
            }
        }
        return best;
    }

    private static List<Pointer> pointersOf(LoadedObject o) {
        LinkMapEntry e = o.entry();
        List<Pointer> l = new ArrayList<>();
        if (e.hasSonameParts())
            l.add(new Pointer(o, "soname pointer (l_info[DT_STRTAB] " + Hex.of(e.strtabValue()) + " + DT_SONAME " + Hex.of(e.sonameOffset()) + ")", o.soname().pointer()));
        if (e.strtabRead() && e.strtabValue() != 0) l.add(new Pointer(o, "string table pointer l_info[DT_STRTAB]", e.strtabValue()));
        if (e.lNamePtr() != 0) l.add(new Pointer(o, "l_name pointer", e.lNamePtr()));
        if (e.lLd() != 0) l.add(new Pointer(o, "l_ld pointer", e.lLd()));
        if (e.lNext() != 0) l.add(new Pointer(o, "l_next pointer", e.lNext()));
        if (e.lPrev() != 0) l.add(new Pointer(o, "l_prev pointer", e.lPrev()));
        if (e.infoStrtab() != 0) l.add(new Pointer(o, "l_info[DT_STRTAB] pointer", e.infoStrtab()));
        if (e.infoSoname() != 0) l.add(new Pointer(o, "l_info[DT_SONAME] pointer", e.infoSoname()));
        return l;
    }

    private static String describe(Mapping m) {
        String p = m.path() == null || m.path().isEmpty() ? "anonymous memory" : SafeText.clean(m.path());
        return p + " " + m.range() + " (" + m.perms() + ")";
    }
}
