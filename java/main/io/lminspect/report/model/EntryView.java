package io.lminspect.report.model;

import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.LoadedObject;

/**
 * One link_map entry as reported: a copy taken after the checks, so the report
 * holds no live reference into the walk. soname is null for a corrupt entry
 * (what memory holds there is not a name), sonamePtr null when there is none.
 */
public record EntryView(int namespace, int index, long address, long lAddr, String name, String soname, Long sonamePtr,
                        long lLd, String mappedPath, LinkMapEntry.Status status, boolean deepChecked) {

    /** deepChecked: whether its .dynamic and relocated data were compared with the file. */
    public static EntryView of(LoadedObject o, boolean deepChecked) {
        LinkMapEntry e = o.entry();
        boolean corrupt = e.status == LinkMapEntry.Status.CORRUPT;
        return new EntryView(e.namespace, e.index, e.address, e.lAddr, e.name.isEmpty() ? o.displayName() : e.name,
                corrupt ? null : e.soname, e.infoSoname != 0 && e.strtabValue >= 0 ? e.sonamePtr : null, e.lLd,
                o.mappedPath(), e.status, deepChecked);
    }
}
