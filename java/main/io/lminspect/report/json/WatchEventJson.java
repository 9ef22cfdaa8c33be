package io.lminspect.report.json;

import io.lminspect.util.Plain;
import io.lminspect.finding.FindingCode;
import io.lminspect.inferior.Mappings;
import io.lminspect.report.model.WatchEvent;
import io.lminspect.util.SafeText;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** watch --json: one compact JSON object per line (JSON Lines); strings escaped by the generator (rule 3). */
public final class WatchEventJson {
    private WatchEventJson() {}

    public static String watching(int processes, int files, String mechanism) {
        return line(j -> j.begin().field("event", "watching").field("processes", processes).field("files", files)
                .field("mechanism", mechanism).end());
    }

    public static String change(WatchEvent e) {
        return line(j -> {
            j.begin().field("event", "change").field("time", time(e.epochMillis())).field("change", e.change().json)
                    .field("file", SafeText.clean(e.file())).field("dev", Mappings.devString(e.dev())).field("inode", e.inode())
                    .field("severity", e.severityName());
            j.beginArray("codes");
            for (FindingCode c : e.codes()) j.value(c.name());
            j.endArray();
            j.beginArray("processes");
            for (WatchEvent.Proc p : e.processes()) {
                j.begin().field("pid", p.pid()).field("exe", SafeText.clean(p.exe()));
                JsonRenderer.service(j, p.service()); // written as check's process documents write it: one place
                j.end();
            }
            j.endArray();
            if (e.writer() == null) j.field("writer", (String) null).field("writer_unknown", SafeText.clean(e.writerUnknown()));
            else {
                j.beginObject("writer").field("pid", e.writer().pid()).field("exe", SafeText.clean(e.writer().exe()))
                        .field("comm", SafeText.clean(e.writer().comm()));
                JsonRenderer.service(j, e.writer().service());
                j.end();
            }
            JsonRenderer.origin(j, e.origin());
            j.field("latency_ms", e.latencyMillis()).end();
        });
    }

    public static String time(long epochMillis) {
        return Plain.utc(epochMillis);
    }

    private static String line(java.util.function.Consumer<Json> body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (Json j = new Json(b)) {
            j.g().setPrettyPrinter(null); // one line per event, whatever Json's default layout
            body.accept(j);
        }
        return b.toString(StandardCharsets.UTF_8).strip();
    }
}
