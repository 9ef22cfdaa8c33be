package io.lminspect.report;

import io.lminspect.check.Finding;
import io.lminspect.check.Inspection;
import io.lminspect.check.Severity;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.LoadedObject;
import io.lminspect.linker.RDebug;
import io.lminspect.inferior.ProcessIdentity;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.time.Instant;

/** The human report of one inspection: who, the loader's view, then findings worst first. */
public final class InspectionText {
    private InspectionText() {}

    public static void write(PrintStream out, Inspection in, boolean listing) {
        header(out, in);
        if (listing) entries(out, in);
        findings(out, in);
        for (String n : in.notes()) out.println("note: " + SafeText.clean(n));
    }

    public static void header(PrintStream out, Inspection in) {
        ProcessIdentity id = in.target().identity();
        String ns = id.nsPid() != id.pid() ? " (pid " + id.nsPid() + " in its namespace)" : "";
        out.printf("process %d%s (%s) %s  %s %s %s%n", id.pid(), ns, SafeText.clean(id.comm()), SafeText.clean(id.exe()),
                in.target().wordSize() == 8 ? "ELF64" : "ELF32", in.target().wordSize() == 8 ? "x86_64" : "i386",
                in.state().location().libc());
        if (id.startEpochMillis() > 0) out.printf("  started %s, uid %d%n", Instant.ofEpochMilli(id.startEpochMillis()), id.uid());
        if (!in.state().found()) {
            out.println("  no link_map: " + in.state().location().reason());
            return;
        }
        RDebug first = in.state().namespaces().isEmpty() ? null : in.state().namespaces().get(0);
        out.printf("  r_debug %s (%s)%s, %d objects in %d namespace%s%n", Hex.of(in.state().location().address()),
                in.state().location().how(), first == null ? "" : ", version " + first.version() + ", " + first.stateName(),
                in.state().entries().size(), in.state().namespaces().size(), in.state().namespaces().size() == 1 ? "" : "s");
    }

    static void entries(PrintStream out, Inspection in) {
        if (in.objects().isEmpty()) return;
        out.println();
        out.printf("  %2s %3s  %-18s  %-7s  %s%n", "NS", "#", "L_ADDR", "STATUS", "NAME [SONAME]");
        for (LoadedObject o : in.objects()) {
            LinkMapEntry e = o.entry();
            String so = e.soname != null && e.status != LinkMapEntry.Status.CORRUPT ? "  [" + e.soname + "]" : "";
            out.printf("  %2d %3d  %-18s  %-7s  %s%s%n", e.namespace, e.index, Hex.of(e.lAddr), e.status.json, o.displayName(), so);
        }
    }

    public static void findings(PrintStream out, Inspection in) {
        if (in.findings().isEmpty()) {
            out.println();
            out.println(in.state().found() ? "no findings: every pointer the dynamic linker will follow checks out" : "no findings");
            return;
        }
        for (Finding f : in.findings()) {
            out.println();
            finding(out, f);
        }
    }

    public static void finding(PrintStream out, Finding f) {
        String where = f.entry() != null ? " (entry " + f.entry() + (f.namespace() != null && f.namespace() != 0 ? ", namespace " + f.namespace() : "") + ")" : "";
        out.printf("%s %s  %s%s%n", label(f.severity()), f.code(), SafeText.clean(f.object()), where);
        if (f.mappingPath() != null && f.object() != null && !f.mappingPath().equals(f.object()))
            out.println("  mapped from " + SafeText.clean(f.mappingPath()));
        out.println("  " + SafeText.clean(f.message()));
        for (String e : f.evidence()) out.println("  " + SafeText.clean(e));
        if (f.consequence() != null) out.println("  => " + SafeText.clean(f.consequence()));
        if (f.remedy() != null) out.println("  fix: " + SafeText.clean(f.remedy()));
    }

    public static String label(Severity s) {
        return s.name();
    }
}
