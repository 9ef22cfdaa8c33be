package io.lminspect.report.text;

import io.lminspect.util.Plain;
import io.lminspect.finding.Finding;
import io.lminspect.finding.Severity;
import io.lminspect.crash.Crash;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.RDebug;
import io.lminspect.preflight.Preflight;
import io.lminspect.report.Renderer;
import io.lminspect.report.model.CrashSection;
import io.lminspect.report.model.DecodeReport;
import io.lminspect.report.model.EntryView;
import io.lminspect.report.model.LayoutReport;
import io.lminspect.report.model.ExitCode;
import io.lminspect.report.model.LinkerSummary;
import io.lminspect.report.model.PreflightReport;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.Report;
import io.lminspect.report.model.ScanReport;
import io.lminspect.report.model.TargetSummary;
import io.lminspect.report.model.WhoMapsReport;
import io.lminspect.report.model.ThreadView;
import io.lminspect.report.model.ThreadsSection;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The human format: every string from a target is escaped here (SafeText) before it reaches a terminal. */
public final class TextRenderer implements Renderer {
    private final boolean verbose;
    private final Palette palette;

    /** verbose: check lists clean processes too. */
    public TextRenderer(boolean verbose) {
        this(verbose, false);
    }

    /** color: severity words in ANSI colour (the caller decided the output is a terminal that wants it). */
    public TextRenderer(boolean verbose, boolean color) {
        this.verbose = verbose;
        this.palette = Palette.of(color);
    }

    @Override
    public void render(Report r, PrintStream out) {
        if (r instanceof ProcessReport p) process(out, p, palette);
        else if (r instanceof ScanReport s) ScanText.write(out, s, verbose, palette);
        else if (r instanceof WhoMapsReport w) WhoMapsText.write(out, w);
        else if (r instanceof LayoutReport l) LayoutText.write(out, l, palette);
        else if (r instanceof DecodeReport d) DecodeText.write(out, d.events());
        else if (r instanceof io.lminspect.report.model.HsErrReport h) HsErrText.write(out, h.log(), palette);
        else if (r instanceof PreflightReport p) {
            header(out, p.target(), null, p.linker());
            for (Preflight.Result x : p.results()) PreflightText.write(out, x, palette);
        }
        else throw Renderer.unsupported("text", r);
    }

    // --- one process (attach, core) ---

    private static void process(PrintStream out, ProcessReport p, Palette palette) {
        CrashSection c = p.crash();
        if (c != null)
            out.println("core " + SafeText.clean(c.corePath()) + ", " + c.threadCount() + " thread" + (c.threadCount() == 1 ? "" : "s"));
        header(out, p.target(), p.service(), p.linker());
        entries(out, p.entries());
        findings(out, p, palette);
        for (String n : p.notes()) out.println("note: " + SafeText.clean(n));
        if (p.threads() != null && c == null) threads(out, p.threads());
        if (c != null) crash(out, c.crash());
    }

    static void header(PrintStream out, TargetSummary t, io.lminspect.host.Service service, LinkerSummary l) {
        String ns = t.inOtherPidNamespace() ? " (pid " + t.nsPid() + " in its namespace)" : "";
        out.printf(Plain.LOCALE, "process %d%s (%s) %s  %s %s %s%n", t.pid(), ns, SafeText.clean(t.comm()),
                t.exe() == null ? "(executable not known: the core names none; give --exe)" : SafeText.clean(t.exe()),
                t.elfClass(), t.machine(), t.libc());
        if (t.startEpochMillis() > 0) out.printf(Plain.LOCALE, "  started %s, uid %d%s%n", Plain.utc(t.startEpochMillis()), t.uid(),
                service == null ? "" : ", service " + ScanText.name(service));
        if (!l.found()) {
            out.println("  no link_map: " + l.notFoundReason());
            return;
        }
        RDebug first = l.first();
        out.printf(Plain.LOCALE, "  r_debug %s (%s)%s, %d objects in %d namespace%s%n", Hex.of(l.address()), l.foundBy(),
                first == null ? "" : ", version " + first.version() + ", " + first.stateName(), l.objectCount(),
                l.namespaces().size(), l.namespaces().size() == 1 ? "" : "s");
    }

    private static void entries(PrintStream out, List<EntryView> entries) {
        if (entries.isEmpty()) return;
        out.println();
        out.printf(Plain.LOCALE, "  %2s %3s  %-18s  %-7s  %s%n", "NS", "#", "L_ADDR", "STATUS", "NAME [SONAME]");
        for (EntryView e : entries) {
            String so = e.soname() != null ? "  [" + e.soname() + "]" : "";
            out.printf(Plain.LOCALE, "  %2d %3d  %-18s  %-7s  %s%s%s%n", e.namespace(), e.index(), Hex.of(e.lAddr()), e.status().json,
                    SafeText.clean(e.name()), so, e.origin() == null ? "" : "  " + origin(e.origin()));
        }
    }

    /** "(extracted from sqlite-jdbc-3.46.1.0.jar by sqlite-jdbc)" for a JVM's JNI library (an entry's, a watch event's), else null. */
    static String origin(io.lminspect.check.JniOrigins.Origin o) {
        if (o == null) return null;
        String jar = o.jar() == null ? null : o.jar().substring(o.jar().lastIndexOf('/') + 1);
        return "(extracted " + (jar != null ? "from " + SafeText.clean(jar) + (o.loader() != null ? " by " + o.loader() : "") : "by " + o.loader()) + ")";
    }

    private static void findings(PrintStream out, ProcessReport p, Palette palette) {
        if (p.findings().isEmpty()) {
            out.println();
            // a clean claim only for what was read: pointers not judged are said so (the evidence rule)
            boolean partial = p.notes().stream().anyMatch(n -> n.startsWith("not judged"));
            out.println(!p.linker().found() ? "no findings"
                    : partial ? "no findings in what could be read; some pointers were not judged (see the notes)"
                    : "no findings: every pointer the dynamic linker will follow checks out");
            return;
        }
        for (List<Finding> block : byObject(p.findings())) {
            out.println();
            objectBlock(out, block, palette);
        }
    }

    /** One finding alone (preflight, layout): a block of one. */
    static void finding(PrintStream out, Finding f, Palette palette) {
        objectBlock(out, List.of(f), palette);
    }

    /**
     * The findings of one object as one block: the worst severity and the object, then
     * each code with its message and its evidence (a line said once is not repeated),
     * then one consequence and one fix, the worst finding's.
     */
    static void objectBlock(PrintStream out, List<Finding> fs, Palette palette) {
        Finding first = fs.get(0);
        String where = first.entry() != null ? " (entry " + first.entry()
                + (first.namespace() != null && first.namespace() != 0 ? ", namespace " + first.namespace() : "") + ")" : "";
        out.printf(Plain.LOCALE, "%s %s%s%n", palette.severity(first.severity()), SafeText.clean(first.object()), where);
        if (first.mappingPath() != null && first.object() != null && !first.mappingPath().equals(first.object()))
            out.println("  mapped from " + SafeText.clean(first.mappingPath()));
        java.util.Set<String> said = new java.util.HashSet<>();
        for (Finding f : fs) {
            String sev = f.severity() == first.severity() ? "" : " (" + f.severity().json + ")";
            out.println("  " + f.code() + sev + ": " + SafeText.clean(f.message()));
            said.add(f.message());
            for (String e : f.evidence()) if (said.add(e)) out.println("    " + SafeText.clean(e));
        }
        if (first.consequence() != null) out.println("  => " + SafeText.clean(first.consequence()));
        if (first.remedy() != null) out.println("  fix: " + SafeText.clean(first.remedy()));
    }

    /** Findings grouped by the object they name, in the order of their worst finding. */
    static java.util.Collection<List<Finding>> byObject(List<Finding> findings) {
        java.util.Map<String, List<Finding>> m = new java.util.LinkedHashMap<>();
        for (Finding f : findings)
            m.computeIfAbsent(f.namespace() + "/" + f.entry() + "/" + f.object() + "/" + f.mappingPath(), k -> new java.util.ArrayList<>()).add(f);
        return m.values();
    }

    /** Registers shown in text (the general ones); JSON has them all. */
    private static final List<String> TEXT_REGS = List.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11",
            "r12", "r13", "r14", "r15", "eflags", "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp");

    private static void threads(PrintStream out, ThreadsSection s) {
        out.println();
        if (s.pauseMillis() != null)
            out.printf(Plain.LOCALE, "threads: %d, stopped for %.3f ms (PTRACE_SEIZE + INTERRUPT, then detached)%n", s.threads().size(), s.pauseMillis());
        else out.printf(Plain.LOCALE, "threads: %d (registers from the core)%n", s.threads().size());
        for (ThreadView t : s.threads()) {
            out.printf(Plain.LOCALE, "  tid %d [%s]  pc %s %s  sp %s %s%n", t.tid(), t.state(), Hex.of(t.pc()),
                    t.pcText() == null ? "(unmapped)" : SafeText.clean(t.pcText()), Hex.of(t.sp()),
                    t.spObject() == null ? "(unmapped)" : SafeText.clean(t.spObject().substring(t.spObject().lastIndexOf('/') + 1)));
            StringBuilder line = new StringBuilder("    ");
            int n = 0;
            for (String r : TEXT_REGS) {
                Long v = t.registers().get(r);
                if (v == null) continue;
                if (n > 0 && n % 6 == 0) {
                    out.println(line.toString().stripTrailing());
                    line = new StringBuilder("    ");
                }
                line.append(String.format(Plain.LOCALE, "%-6s %-18s ", r, Hex.of(v)));
                n++;
            }
            if (n > 0) out.println(line.toString().stripTrailing());
            for (Map.Entry<String, String> m : t.marks().entrySet())
                out.println("    !! " + m.getKey() + " = " + Hex.of(t.registers().get(m.getKey())) + ": " + m.getValue());
        }
        for (String p : s.problems()) out.println("  not read: " + SafeText.clean(p));
    }

    private static void crash(PrintStream out, Crash c) {
        out.println();
        if (c.signal() == 0) {
            out.println("crash: none (" + c.explanation() + ")");
        } else {
            out.println("crash: " + (c.signalName() == null ? "signal " + c.signal() : c.signalName()) + " " + c.code()
                    + (c.address() == null ? "" : " at " + Hex.of(c.address())));
        }
        out.println("  thread " + c.thread() + ", pc " + Hex.of(c.pc()) + (c.pcObject() == null ? ""
                : "  " + SafeText.clean(c.pcObject()) + (c.pcSymbol() == null ? "" : " " + SafeText.clean(c.pcSymbol()))));
        if (c.caller() != null) out.println("  called from " + SafeText.clean(c.caller()));
        if (c.signal() != 0) out.println("  => " + c.explanation());
    }

}
