package io.lminspect.report.model;

import io.lminspect.check.EntryStatus;
import io.lminspect.check.JniOrigins;
import io.lminspect.finding.Finding;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.LoadedObject;
import io.lminspect.linker.Soname;

import java.util.List;

/**
 * One link_map entry as reported: a copy taken after the checks, so the report
 * holds no live reference into the walk. soname is null for a corrupt entry
 * (what memory holds there is not a name), sonamePtr null when there is none.
 */
public record EntryView(int namespace, int index, long address, long lAddr, String name, String soname, Long sonamePtr,
                        long lLd, String mappedPath, EntryStatus status, boolean deepChecked, JniOrigins.Origin origin) {

    /** deepChecked: whether its .dynamic and relocated data were compared with the file; origin: a JVM's extracted JNI library's jar and loader, or null. */
    public static EntryView of(LoadedObject o, List<Finding> findings, boolean deepChecked, JniOrigins.Origin origin) {
        LinkMapEntry e = o.entry();
        EntryStatus status = EntryStatus.of(e, findings);
        boolean corrupt = status == EntryStatus.CORRUPT;
        return new EntryView(e.namespace(), e.index(), e.address(), e.lAddr(), o.displayName(),
                corrupt ? null : o.soname().text(), o.soname() == Soname.NONE ? null : o.soname().pointer(), e.lLd(),
                o.mappedPath(), status, deepChecked, origin);
    }
}
