package io.lminspect.report.json;

import io.lminspect.crash.Crash;
import io.lminspect.decode.HsErrExplained;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;


/** decode of a HotSpot fatal error log: {"hs_err", "crash", "libraries", "findings", "notes"} (docs/schema/decode-hs-err.json). */
final class HsErrJson {
    private HsErrJson() {}

    static void write(Json j, HsErrExplained h) {
        j.begin();
        j.beginObject("hs_err");
        j.field("file", SafeText.clean(h.file())).field("pid", h.pid()).field("jre", SafeText.clean(h.jre()))
                .field("command", SafeText.clean(h.command())).field("thread_name", SafeText.clean(h.threadName()))
                .field("started", time(h.startedEpochMillis())).field("crashed", time(h.crashedEpochMillis()))
                .field("time_precision_ms", h.timePrecisionMillis()).field("time_from", h.timeFrom())
                .field("problematic_frame", SafeText.clean(h.problematicFrame())).field("pc_offset", h.pcOffset());
        j.beginArray("java_frames");
        for (String f : h.javaFrames()) j.value(SafeText.clean(f));
        j.endArray();
        j.beginArray("native_frames");
        for (String f : h.nativeFrames()) j.value(SafeText.clean(f));
        j.endArray();
        j.end();
        Crash c = h.crash();
        j.beginObject("crash");
        j.field("signal", c.signal()).field("signal_name", c.signalName()).field("code", c.code())
                .field("address", c.address() == null ? null : Hex.of(c.address())).field("pc", Hex.of(c.pc()))
                .field("pc_object", SafeText.clean(c.pcObject())).field("pc_symbol", SafeText.clean(c.pcSymbol()))
                .field("caller", SafeText.clean(c.caller())).field("thread", c.thread())
                .field("explanation", c.explanation()); // built from parts already escaped
        j.end();
        j.beginArray("libraries");
        for (HsErrExplained.Library l : h.libraries()) {
            j.begin().field("path", SafeText.clean(l.path())).field("dev", l.dev()).field("inode", l.inode());
            if (l.loadedAtSeconds() == null) j.field("loaded_at_seconds", (String) null);
            else j.field("loaded_at_seconds", l.loadedAtSeconds().doubleValue());
            j.field("today", l.today()).end();
        }
        j.endArray();
        JsonRenderer.findingsAndNotes(j, h.findings(), h.notes());
        j.end();
    }

    private static String time(Long epochMillis) {
        return epochMillis == null ? null : io.lminspect.util.Plain.utc(epochMillis);
    }
}
