package io.lminspect.report;

import io.lminspect.host.ScanResult;
import io.lminspect.util.SafeText;

/** check's JSON: {"processes": [attach documents], "skipped": [{"pid", "reason"}], "summary": {…}}. */
public final class ScanJson {
    private ScanJson() {}

    public static void write(Json j, ScanSummary s) {
        j.begin();
        j.beginArray("processes");
        for (ScanResult r : s.inspected) InspectionJson.write(j, r.inspection(), null);
        j.endArray();
        j.beginArray("skipped");
        for (ScanResult r : s.skipped) j.begin().field("pid", r.pid()).field("reason", SafeText.clean(r.skipReason())).end();
        j.endArray();
        j.beginObject("summary").field("inspected", s.inspected.size()).field("skipped", s.skipped.size())
                .field("clean", s.clean).field("seconds", s.seconds).field("exit_code", s.exitCode()).end();
        j.end();
    }
}
