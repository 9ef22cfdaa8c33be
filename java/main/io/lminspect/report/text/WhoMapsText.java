package io.lminspect.report.text;

import io.lminspect.util.Plain;
import io.lminspect.host.WhoMaps;
import io.lminspect.inferior.Mappings;
import io.lminspect.report.model.WhoMapsReport;
import io.lminspect.util.SafeText;

import java.io.PrintStream;

/** who-maps for a person: each file, then one line per process that maps it. */
final class WhoMapsText {
    private WhoMapsText() {}

    static void write(PrintStream out, WhoMapsReport r) {
        for (WhoMaps.FileUse u : r.files()) {
            out.printf(Plain.LOCALE, "%s (dev %s, inode %d): %s%n", SafeText.clean(u.path()), Mappings.devString(u.dev()), u.inode(),
                    u.holders().isEmpty() ? "not mapped by any process" : "mapped by " + u.holders().size() + " process"
                            + (u.holders().size() == 1 ? "" : "es"));
            for (WhoMaps.Holder h : u.holders())
                out.printf(Plain.LOCALE, "  pid %-7d %s  %s%n", h.pid(), SafeText.clean(h.exe()), String.join(" ", h.ranges()));
        }
        if (r.unread() > 0)
            out.printf(Plain.LOCALE, "note: %d process%s could not be read (run as root to see every process): not covered above%n",
                    r.unread(), r.unread() == 1 ? "" : "es");
    }
}
