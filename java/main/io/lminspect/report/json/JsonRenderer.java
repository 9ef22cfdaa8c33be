package io.lminspect.report.json;

import io.lminspect.util.Plain;
import io.lminspect.finding.Finding;
import io.lminspect.crash.Crash;
import io.lminspect.host.Service;
import io.lminspect.inferior.Mappings;
import io.lminspect.linker.RDebug;
import io.lminspect.report.Renderer;
import io.lminspect.report.model.CrashSection;
import io.lminspect.report.model.DecodeReport;
import io.lminspect.report.model.EntryView;
import io.lminspect.report.model.LayoutReport;
import io.lminspect.report.model.LinkerSummary;
import io.lminspect.report.model.PreflightReport;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.Report;
import io.lminspect.report.model.ScanReport;
import io.lminspect.report.model.TargetSummary;
import io.lminspect.report.model.WhoMapsReport;
import io.lminspect.report.model.ThreadView;
import io.lminspect.report.model.ThreadsSection;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.Map;

/** One JSON document on stdout per command; field names are the contract (docs/commands.md). */
public final class JsonRenderer implements Renderer {

    @Override
    public void render(Report r, PrintStream out) {
        try (Json j = new Json(out)) {
            if (r instanceof ProcessReport p) process(j, p);
            else if (r instanceof ScanReport s) scan(j, s);
            else if (r instanceof WhoMapsReport w) WhoMapsJson.write(j, w);
            else if (r instanceof LayoutReport l) LayoutJson.write(j, l);
            else if (r instanceof DecodeReport d) DecodeJson.write(j, d.events(), d.unparsedLines());
            else if (r instanceof io.lminspect.report.model.HsErrReport h) HsErrJson.write(j, h.log());
            else if (r instanceof PreflightReport p) PreflightJson.write(j, p);
            else throw Renderer.unsupported("JSON", r);
        }
    }

    // --- one process: attach, core, and each element of check's "processes" ---

    static void process(Json j, ProcessReport p) {
        j.begin();
        target(j, p.target(), p.linker());
        service(j, p.service());
        rDebug(j, p.linker());
        j.beginArray("entries");
        for (EntryView e : p.entries()) entry(j, e);
        j.endArray();
        findingsAndNotes(j, p.findings(), p.notes());
        j.field("exit_code", p.exitCode());
        j.field("memory_reads", p.memoryReads());
        if (p.threads() != null) threads(j, p.threads());
        if (p.crash() != null) crash(j, p.crash());
        j.end();
    }

    static void target(Json j, TargetSummary t, LinkerSummary l) {
        j.beginObject("target");
        j.field("pid", t.pid());
        if (t.inOtherPidNamespace()) j.field("ns_pid", t.nsPid());
        j.field("exe", SafeText.clean(t.exe()));
        j.field("comm", SafeText.clean(t.comm()));
        j.field("uid", t.uid());
        if (t.startEpochMillis() > 0) j.field("start_time", Plain.utc(t.startEpochMillis()));
        j.field("class", t.elfClass());
        j.field("machine", t.machine());
        j.field("libc", t.libc());
        j.end();
    }

    /** Who the process belongs to; null for a core (no live cgroup to ask). */
    static void service(Json j, Service s) {
        if (s == null) {
            j.field("service", (String) null);
            return;
        }
        j.beginObject("service");
        j.field("name", s.name()).field("kind", s.kind().jsonName()).field("container_id", s.containerId()).field("runtime", s.runtime());
        if (s.podUid() != null) j.field("pod_uid", s.podUid());
        if (s.treeRootPid() != null) j.field("tree_root_pid", s.treeRootPid().longValue());
        j.end();
    }

    private static void rDebug(Json j, LinkerSummary l) {
        if (!l.found()) {
            j.field("r_debug", (String) null);
            j.field("no_link_map", l.notFoundReason());
            return;
        }
        RDebug first = l.first();
        j.beginObject("r_debug");
        j.field("address", Hex.of(l.address()));
        j.field("found_by", l.foundBy());
        if (first != null) {
            j.field("version", first.version());
            j.field("state", first.stateName());
        }
        j.beginArray("namespaces");
        for (RDebug r : l.namespaces()) {
            j.begin().field("namespace", r.namespace()).field("address", Hex.of(r.address())).field("r_map", Hex.of(r.rMap()))
                    .field("state", r.stateName()).end();
        }
        j.endArray();
        j.end();
    }

    private static void entry(Json j, EntryView e) {
        j.begin();
        j.field("namespace", e.namespace()).field("index", e.index()).field("address", Hex.of(e.address()))
                .field("l_addr", Hex.of(e.lAddr())).field("name", e.name())
                .field("soname", e.soname())
                .field("soname_ptr", e.sonamePtr() == null ? null : Hex.of(e.sonamePtr()))
                .field("l_ld", Hex.of(e.lLd()))
                .field("path", SafeText.clean(e.mappedPath()))
                .field("status", e.status().json)
                .field("deep_checked", e.deepChecked());
        origin(j, e.origin());
        j.end();
    }

    /** A JNI library's "origin" (an entry's, a watch event's): jar, entry and loader, or null. */
    static void origin(Json j, io.lminspect.check.JniOrigins.Origin o) {
        if (o == null) j.field("origin", (String) null);
        else j.beginObject("origin").field("jar", SafeText.clean(o.jar())).field("entry", SafeText.clean(o.entry())).field("loader", o.loader()).end();
    }

    /** "findings" then "notes", as every document that has them writes them. */
    static void findingsAndNotes(Json j, java.util.List<Finding> findings, java.util.List<String> notes) {
        j.beginArray("findings");
        for (Finding f : findings) finding(j, f);
        j.endArray();
        j.beginArray("notes");
        for (String n : notes) j.value(SafeText.clean(n));
        j.endArray();
    }

    public static void finding(Json j, Finding f) {
        j.begin();
        j.field("severity", f.severity().json).field("code", f.code().name()).field("object", SafeText.clean(f.object()))
                .field("mapping_path", SafeText.clean(f.mappingPath())).field("namespace", f.namespace()).field("entry", f.entry())
                .field("address", f.address() == null ? null : Hex.of(f.address())).field("message", SafeText.clean(f.message()));
        j.beginArray("evidence");
        for (String e : f.evidence()) j.value(SafeText.clean(e));
        j.endArray();
        j.field("consequence", SafeText.clean(f.consequence())).field("remedy", SafeText.clean(f.remedy()));
        j.end();
    }

    private static void threads(Json j, ThreadsSection s) {
        j.beginArray("threads");
        for (ThreadView t : s.threads()) {
            j.begin().field("tid", t.tid()).field("state", t.state());
            j.beginObject("registers");
            for (Map.Entry<String, Long> r : t.registers().entrySet()) j.field(r.getKey(), Hex.of(r.getValue()));
            j.end();
            j.field("pc", Hex.of(t.pc()));
            j.field("pc_object", SafeText.clean(t.pcObject()));
            j.field("pc_symbol", SafeText.clean(t.pcSymbol()));
            j.field("sp", Hex.of(t.sp()));
            j.field("sp_object", SafeText.clean(t.spObject()));
            j.beginObject("marks");
            for (Map.Entry<String, String> m : t.marks().entrySet()) j.field(m.getKey(), m.getValue());
            j.end();
            j.end();
        }
        j.endArray();
        j.beginArray("register_problems");
        for (String p : s.problems()) j.value(SafeText.clean(p));
        j.endArray();
        if (s.pauseMillis() != null) j.field("pause_ms", Math.round(s.pauseMillis() * 1000) / 1000.0);
    }

    private static void crash(Json j, CrashSection s) {
        Crash c = s.crash();
        j.beginObject("crash");
        j.field("signal", c.signal()).field("signal_name", c.signalName()).field("code", c.code())
                .field("address", c.address() == null ? null : Hex.of(c.address())).field("pc", Hex.of(c.pc()))
                .field("pc_object", SafeText.clean(c.pcObject())).field("pc_symbol", SafeText.clean(c.pcSymbol())).field("caller", SafeText.clean(c.caller()))
                .field("thread", c.thread());
        // built from parts already escaped: SafeText's length cap would cut the explanation short
        j.field("explanation", c.explanation());
        j.end();
        j.beginObject("core");
        j.field("path", SafeText.clean(s.corePath())).field("threads", s.threadCount()).field("exe_in_core", SafeText.clean(s.exeInCore()));
        j.end();
    }

    // --- check ---

    private static void scan(Json j, ScanReport s) {
        j.begin();
        j.beginArray("processes");
        for (ProcessReport p : s.processes()) process(j, p);
        j.endArray();
        j.beginArray("skipped");
        for (ScanReport.Skip k : s.skipped())
            j.begin().field("pid", k.pid()).field("reason", SafeText.clean(k.reason())).field("unread", k.unread()).end();
        j.endArray();
        j.beginArray("groups");
        for (ScanReport.Group g : s.groups()) {
            j.begin().field("code", g.code().name()).field("severity", g.severity().json).field("file", SafeText.clean(g.file()));
            if (g.dev() < 0) j.field("dev", (String) null).field("inode", (String) null);
            else j.field("dev", Mappings.devString(g.dev())).field("inode", g.inode());
            j.beginArray("pids");
            for (int pid : g.pids()) j.value(pid);
            j.endArray();
            j.beginArray("services");
            for (Service svc : g.services()) j.value(svc.name());
            j.endArray();
            if (g.asksPackage() && g.owner() != null && g.owner().info() != null) {
                var p = g.owner().info();
                j.beginObject("package").field("name", SafeText.clean(p.name())).field("version", SafeText.clean(p.version()))
                        .field("changed_at", p.changedAt()).field("from_version", SafeText.clean(p.fromVersion()))
                        .field("to_version", SafeText.clean(p.toVersion())).end();
            } else {
                j.field("package", (String) null); // no package owns it, or the question does not apply
            }
            j.end();
        }
        j.endArray();
        j.beginArray("restart");
        for (ScanReport.Restart r : s.restart()) {
            j.begin().field("service", r.service().name()).field("kind", r.service().kind().jsonName())
                    .field("container_id", r.service().containerId()).field("severity", r.severity().json);
            j.beginArray("pids");
            for (int pid : r.pids()) j.value(pid);
            j.endArray();
            j.beginArray("files");
            for (String f : r.files()) j.value(SafeText.clean(f));
            j.endArray();
            j.end();
        }
        j.endArray();
        j.beginObject("summary").field("inspected", s.processes().size()).field("skipped", s.skipped().size())
                .field("unread", s.unread()).field("clean", s.clean()).field("seconds", s.seconds()).field("exit_code", s.exitCode()).end();
        j.end();
    }
}
