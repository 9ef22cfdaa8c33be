package io.lminspect.report.text;

import io.lminspect.finding.Finding;
import io.lminspect.preflight.ClosureObject;
import io.lminspect.preflight.Preflight;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

/** preflight's human report: the closure as a tree (new vs reused), then findings, then the verdict. */
final class PreflightText {
    private PreflightText() {}

    static void write(PrintStream out, Preflight.Result r, Palette palette) {
        out.println();
        out.println("dlopen(\"" + SafeText.clean(r.library()) + "\"): " + (r.wouldSucceed() ? "would succeed" : "WOULD FAIL"));
        if (r.predictedError() != null) out.println("  dlerror() would say: " + SafeText.clean(r.predictedError()));
        tree(out, r.objects().get(0), "  ", "", new HashSet<>());
        for (java.util.List<Finding> block : TextRenderer.byObject(r.findings())) {
            out.println();
            TextRenderer.objectBlock(out, block, palette);
        }
        if (!r.notes().isEmpty()) out.println();
        for (String n : r.notes()) out.println("note: " + SafeText.clean(n));
    }

    private static void tree(PrintStream out, ClosureObject o, String indent, String branch, Set<ClosureObject> shown) {
        boolean first = shown.add(o);
        out.println(indent + branch + line(o) + (!first && !o.needed.isEmpty() ? "  (see above)" : ""));
        if (!first) return;
        String childIndent = indent + (branch.isEmpty() ? "" : branch.startsWith("`") ? "   " : "|  ");
        for (int i = 0; i < o.needed.size(); i++)
            tree(out, o.needed.get(i), childIndent, i == o.needed.size() - 1 ? "`- " : "+- ", shown);
    }

    private static String line(ClosureObject o) {
        String name = SafeText.clean(o.name);
        switch (o.kind) {
            case NEW:
                return name + (o.path.equals(o.name) ? "" : " => " + SafeText.clean(o.path)) + "  [new: " + SafeText.clean(o.foundBy) + "]";
            case REUSED:
                String state = switch (o.fileState) {
                    case REPLACED -> ", file REPLACED since mapped";
                    case DELETED -> ", file DELETED since mapped";
                    default -> "";
                };
                return name + " => " + SafeText.clean(o.path) + "  [reused: entry " + o.loaded.entry().index() + ", "
                        + SafeText.clean(o.foundBy) + state + "]";
            default:
                return name + "  [" + o.kind.json.toUpperCase() + ": " + SafeText.clean(o.problem) + "]";
        }
    }
}
