package io.lminspect.report.json;

import io.lminspect.host.WhoMaps;
import io.lminspect.inferior.Mappings;
import io.lminspect.report.model.WhoMapsReport;
import io.lminspect.util.SafeText;

/** who-maps' {"files": [{"path", "dev", "inode", "processes": [{"pid", "exe", "ranges"}]}]}. */
final class WhoMapsJson {
    private WhoMapsJson() {}

    static void write(Json j, WhoMapsReport r) {
        j.begin().beginArray("files");
        for (WhoMaps.FileUse u : r.files()) {
            j.begin().field("path", SafeText.clean(u.path())).field("dev", Mappings.devString(u.dev())).field("inode", u.inode());
            j.beginArray("processes");
            for (WhoMaps.Holder h : u.holders()) {
                j.begin().field("pid", h.pid()).field("exe", SafeText.clean(h.exe()));
                j.beginArray("ranges");
                for (String x : h.ranges()) j.value(x);
                j.endArray().end();
            }
            j.endArray().end();
        }
        j.endArray().field("unread", r.unread()).end();
    }
}
