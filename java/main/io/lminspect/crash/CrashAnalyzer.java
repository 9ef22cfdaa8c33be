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
        String base = explain(s, codeName, pc, pcName, caller);
        String more = s.signo() == 0 ? "" : loading(t, pc) + insideRewritten(pc);
        String explanation = more.isEmpty() ? base : (base.endsWith(".") ? base.substring(0, base.length() - 1) : base) + more + ".";
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

    /** Registers that may hold a function's arguments or a callee's saved copies of them, most likely first. */
    private static final List<String> ARG_REGISTERS = List.of("rdi", "rsi", "rdx", "rcx", "r8", "r9", "rbx", "rbp", "r12", "r13", "r14",
            "r15", "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp");

    /**
     * When ld.so crashed, the library a dlopen() was loading: _dl_map_object compares the name it
     * was asked for with every loaded object's names, so a register points at it. Said only when a
     * register holds a readable string named like a library that is none of the loaded ones.
     */
    private String loading(CoreThread t, long pc) {
        if (t == null || !inInterpreter(pc)) return "";
        java.util.Set<String> loaded = new java.util.HashSet<>();
        for (LoadedObject o : in.objects()) {
            loaded.add(o.entry().name());
            loaded.add(o.entry().name().substring(o.entry().name().lastIndexOf('/') + 1));
            if (o.soname().text() != null) loaded.add(o.soname().text());
        }
        for (String r : ARG_REGISTERS) {
            Long v = t.state().registers().get(r);
            if (v == null || v == 0) continue;
            String name = libraryName(v);
            if (name != null && !loaded.contains(name)) {
                return "; a dlopen() was loading " + SafeText.clean(name) + " (" + r + " points at that name, as _dl_map_object compares it with "
                        + "every loaded object's)";
            }
        }
        return "";
    }

    /** The NUL-terminated string at addr when it is named like a shared object (printable, *.so or *.so.N), else null. */
    private String libraryName(long addr) {
        var req = in.memory().stringRequest(addr, 256);
        if (req.got == -1) return null; // not readable at all
        in.memory().readChecked(List.of(req));
        if (req.got <= 0) return null;
        int end = io.lminspect.util.Bytes.indexOfNul(req.data, 0, req.got);
        if (end < 4) return null;
        for (int i = 0; i < end; i++) if (req.data[i] < 0x20 || req.data[i] > 0x7e) return null;
        String s = new String(req.data, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
        String base = s.substring(s.lastIndexOf('/') + 1);
        return base.matches("[\\w.+-]+\\.so(\\.[0-9]+)*") ? s : null;
    }

    /** When the pc lies in a library the inspection found rewritten in place: the code that ran is not the code that was loaded. */
    private String insideRewritten(long pc) {
        Mapping m = in.memory().mappings().find(pc);
        if (m == null || !m.fileBacked()) return "";
        for (LoadedObject o : in.objects()) {
            if (o.mappedFileId() == null || !o.mappedFileId().equals(m.fileId())) continue;
            for (Finding f : in.findings()) {
                if (f.severity() == Severity.CRITICAL && m.fileId().equals(f.file()) && (f.code() == FindingCode.FILE_REWRITTEN_IN_PLACE
                        || f.code() == FindingCode.RELOCATIONS_REVERTED || f.code() == FindingCode.DYNAMIC_UNRELOCATED))
                    return "; the pc lies inside " + SafeText.clean(o.displayName()) + ", which this report finds rewritten in place ("
                            + f.code() + "): the code that ran is not the code that was loaded";
            }
        }
        return "";
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
