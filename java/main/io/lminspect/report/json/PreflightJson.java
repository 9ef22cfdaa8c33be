package io.lminspect.report.json;

import io.lminspect.report.model.PreflightReport;
import io.lminspect.preflight.ClosureObject;
import io.lminspect.preflight.Preflight;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.util.List;

/**
 * preflight's JSON: for one library {"target", "library", "would_succeed",
 * "objects", "findings"}; for several, {"target", "would_succeed",
 * "libraries": [those documents without "target"]}.
 */
final class PreflightJson {
    private PreflightJson() {}

    static void write(Json j, PreflightReport report) {
        List<Preflight.Result> results = report.results();
        j.begin();
        JsonRenderer.target(j, report.target(), report.linker());
        if (results.size() == 1) {
            body(j, results.get(0));
        } else {
            j.field("would_succeed", results.stream().allMatch(Preflight.Result::wouldSucceed));
            j.beginArray("libraries");
            for (Preflight.Result r : results) {
                j.begin();
                body(j, r);
                j.end();
            }
            j.endArray();
        }
        j.end();
    }

    private static void body(Json j, Preflight.Result r) {
        j.field("library", SafeText.clean(r.library())).field("would_succeed", r.wouldSucceed())
                .field("predicted_error", SafeText.clean(r.predictedError()));
        j.beginArray("objects");
        for (ClosureObject o : r.objects()) object(j, o);
        j.endArray();
        JsonRenderer.findingsAndNotes(j, r.findings(), r.notes());
    }

    private static void object(Json j, ClosureObject o) {
        j.begin();
        j.field("name", SafeText.clean(o.name)).field("status", o.kind.json).field("path", SafeText.clean(o.path))
                .field("soname", SafeText.clean(o.soname())).field("found_by", SafeText.clean(o.foundBy))
                .field("needed_by", o.loader == null ? null : SafeText.clean(o.loader.path));
        if (o.loaded != null) {
            j.field("namespace", o.loaded.entry().namespace()).field("entry", o.loaded.entry().index())
                    .field("l_addr", Hex.of(o.loaded.entry().lAddr())).field("mapping_path", SafeText.clean(o.loaded.mappedPath()))
                    .field("file_today", o.fileState.json);
        }
        if (o.problem != null) j.field("error", SafeText.clean(o.problem));
        j.beginArray("needed");
        for (ClosureObject n : o.needed) j.value(SafeText.clean(n.name));
        j.endArray();
        j.end();
    }
}
