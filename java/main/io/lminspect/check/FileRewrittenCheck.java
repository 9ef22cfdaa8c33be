package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.finding.Remedies;
import io.lminspect.util.Plain;
import io.lminspect.linker.LoadedObject;
import io.lminspect.util.Hex;


/**
 * FILE_REWRITTEN_IN_PLACE: the inode mapped is still the one at the path, but
 * it was written after the process started. Critical when memory corroborates
 * it (dropped relocated pages, pages past EOF). When only the time says so it is
 * info: a library written after the start and loaded later (every JVM that
 * unpacks a JNI library to a temp dir does this) looks the same from outside.
 */
public final class FileRewrittenCheck implements Check {
    @Override
    public void run(Inspection in) {
        for (LoadedObject o : in.objects()) {
            FileHistory h = in.history(o);
            if (h == null || !h.sameInode() || !h.writtenAfterStart()) continue;
            // written after the start: deepCheck(o) holds (its ctime moved), so memory was compared
            boolean deep = in.deepCheck(o);
            boolean dynamicReverted = deep && in.dynamic(o).isUnrelocated();
            boolean relocationsReverted = deep && in.relocations(o).isReverted();
            boolean corroborated = h.pastEofPages() > 0 || dynamicReverted || relocationsReverted;
            var e = o.entry();
            Finding.Builder b = Finding.of(corroborated ? Severity.CRITICAL : Severity.INFO, FindingCode.FILE_REWRITTEN_IN_PLACE)
                    .object(o.displayName()).mapped(o.mappedPath(), o.mappedFileId()).entry(e.namespace(), e.index())
                    .address(o.dynamicMapping().start())
                    .message(describe(h, o))
                    .evidence("file changed " + Plain.utc(h.changeMillis()) + ", process started "
                            + Plain.utc(in.target().identity().startEpochMillis()));
            // each sentence names the comparison that was made (the evidence rule, docs/design.md)
            if (dynamicReverted) b.evidence("memory confirms it: the .dynamic array in memory holds the file's unrelocated values");
            if (relocationsReverted) b.evidence("memory confirms it: " + in.relocations(o).revertedNonZero()
                    + " relocated words read back as the file's raw bytes");
            if (h.pastEofPages() > 0) b.evidence("the mappings confirm it: " + h.pastEofPages() + " accessible pages mapped from the file now lie past its end");
            if (corroborated) {
                b.consequence("this process runs a mix of the old and the new file's bytes; " + Remedies.NEXT_DLOPEN_CRASHES);
            } else {
                RelocationComparison r = deep ? in.relocations(o) : null;
                b.evidence(r != null && r.applicable() && r.checked() > 0
                                ? "memory shows no damage: " + r.checked() + " relocated words compared with the file, none reverted"
                                  + " (a library loaded after it was written, as a JVM's extracted JNI library is, is harmless)"
                                : "memory was not compared (" + (r == null ? "not deep-checked" : r.why() != null ? r.why() : "no relocated words")
                                  + "): nothing shows damage")
                        .consequence("if the file was written while mapped, code pages the process has not touched yet come from the new bytes");
            }
            in.add(b.remedy(Remedies.RESTART_AND_INSTALL).build());
        }
    }

    /** What the file at the path says about the mapped copy, or null when the path cannot be seen (a core). */
    static String describe(FileHistory h, LoadedObject o) {
        if (h.today() == null) return null;
        if (h.replaced()) return "the path now names another inode (" + h.today().id().inode() + "; mapped " + o.dynamicMapping().inode() + "): it was replaced";
        if (h.deletedNoReplacement()) return "the mapped file was deleted";
        if (!h.sameInode()) return "the file at the path cannot be compared";
        String s = "the mapped inode " + o.dynamicMapping().inode() + " is the file at that path today";
        if (h.writtenAfterStart() && h.contentTimeBeforeStart())
            s += ", and its inode changed after the process started (its ctime; its mtime is older: a new hard link, chmod or chown,"
                    + " or a copy that kept the old mtime such as cp -p)";
        else if (h.writtenAfterStart()) s += ", and it was written after the process started";
        if (h.pastEofPages() > 0) s += "; " + h.pastEofPages() + " mapped pages now lie past its end";
        return s;
    }
}
