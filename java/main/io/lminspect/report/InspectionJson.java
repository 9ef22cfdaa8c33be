package io.lminspect.report;

import io.lminspect.check.Finding;
import io.lminspect.check.Inspection;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.LoadedObject;
import io.lminspect.linker.RDebug;
import io.lminspect.inferior.ProcessIdentity;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.time.Instant;

/** The SPEC's per-process JSON document (attach, core, and each element of check's "processes"). */
public final class InspectionJson {
    private InspectionJson() {}

    public static void write(Json j, Inspection in, Extra extra) {
        j.begin();
        writeTarget(j, in);
        writeRDebug(j, in);
        j.beginArray("entries");
        for (LoadedObject o : in.objects()) writeEntry(j, o);
        j.endArray();
        writeFindings(j, in);
        j.beginArray("notes");
        for (String n : in.notes()) j.value(SafeText.clean(n));
        j.endArray();
        j.field("exit_code", in.exitCode());
        j.field("memory_reads", in.target().readCalls());
        if (extra != null) extra.write(j);
        j.end();
    }

    /** Fields a command adds to the document (crash, threads…). */
    public interface Extra {
        void write(Json j);
    }

    static void writeTarget(Json j, Inspection in) {
        ProcessIdentity id = in.target().identity();
        j.beginObject("target");
        j.field("pid", id.pid());
        if (id.nsPid() != id.pid()) j.field("ns_pid", id.nsPid());
        j.field("exe", SafeText.clean(id.exe()));
        j.field("comm", SafeText.clean(id.comm()));
        j.field("uid", id.uid());
        if (id.startEpochMillis() > 0) j.field("start_time", Instant.ofEpochMilli(id.startEpochMillis()).toString());
        j.field("class", in.target().wordSize() == 8 ? "ELF64" : "ELF32");
        j.field("machine", in.target().wordSize() == 8 ? "x86_64" : "i386");
        j.field("libc", in.state().location().libc());
        j.end();
    }

    static void writeRDebug(Json j, Inspection in) {
        var loc = in.state().location();
        if (!in.state().found()) {
            j.field("r_debug", (String) null);
            j.field("no_link_map", loc.reason());
            return;
        }
        RDebug first = in.state().namespaces().isEmpty() ? null : in.state().namespaces().get(0);
        j.beginObject("r_debug");
        j.field("address", Hex.of(loc.address()));
        j.field("found_by", loc.how());
        if (first != null) {
            j.field("version", first.version());
            j.field("state", first.stateName());
        }
        j.beginArray("namespaces");
        for (RDebug r : in.state().namespaces()) {
            j.begin().field("namespace", r.namespace()).field("address", Hex.of(r.address())).field("r_map", Hex.of(r.rMap()))
                    .field("state", r.stateName()).end();
        }
        j.endArray();
        j.end();
    }

    static void writeEntry(Json j, LoadedObject o) {
        LinkMapEntry e = o.entry();
        j.begin();
        j.field("namespace", e.namespace).field("index", e.index).field("address", Hex.of(e.address))
                .field("l_addr", Hex.of(e.lAddr)).field("name", e.name.isEmpty() ? o.displayName() : e.name)
                .field("soname", e.status == LinkMapEntry.Status.CORRUPT ? null : e.soname)
                .field("soname_ptr", e.infoSoname != 0 && e.strtabValue >= 0 ? Hex.of(e.sonamePtr) : null)
                .field("l_ld", Hex.of(e.lLd))
                .field("path", SafeText.clean(o.mappedPath()))
                .field("status", e.status.json);
        j.end();
    }

    static void writeFindings(Json j, Inspection in) {
        j.beginArray("findings");
        for (Finding f : in.findings()) writeFinding(j, f);
        j.endArray();
    }

    public static void writeFinding(Json j, Finding f) {
        j.begin();
        j.field("severity", f.severity().json).field("code", f.code().name()).field("object", SafeText.clean(f.object()))
                .field("mapping_path", SafeText.clean(f.mappingPath())).field("namespace", f.namespace()).field("entry", f.entry())
                .field("address", f.address()).field("message", SafeText.clean(f.message()));
        j.beginArray("evidence");
        for (String e : f.evidence()) j.value(SafeText.clean(e));
        j.endArray();
        j.field("consequence", SafeText.clean(f.consequence())).field("remedy", SafeText.clean(f.remedy()));
        j.end();
    }
}
