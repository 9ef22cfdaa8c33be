package io.lminspect.watch;

import io.lminspect.util.Plain;
import io.lminspect.finding.FindingCode;
import io.lminspect.host.Service;
import io.lminspect.inferior.Mappings;
import io.lminspect.report.json.Json;
import io.lminspect.util.SafeText;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** watch --json: one compact JSON object per line (JSON Lines); strings escaped by the generator (rule 3). */
public final class EventJson {
    private EventJson() {}

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
                service(j, p.service());
                j.end();
            }
            j.endArray();
            j.field("latency_ms", e.latencyMillis()).end();
        });
    }

    static String time(long epochMillis) {
        return Plain.utc(epochMillis);
    }

    /** As check's process documents name it: name, kind, container_id, runtime. */
    private static void service(Json j, Service s) {
        if (s == null) {
            j.field("service", (String) null);
            return;
        }
        j.beginObject("service").field("name", s.name()).field("kind", s.kind().jsonName()).field("container_id", s.containerId())
                .field("runtime", s.runtime()).end();
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
