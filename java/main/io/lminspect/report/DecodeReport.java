package io.lminspect.report;

import io.lminspect.report.json.Json;
import io.lminspect.decode.DecodedEvent;
import io.lminspect.decode.KernelEvent;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.List;

/** `decode` output: SPEC's {"events": […]} document, or a short block per event for a person. */
public final class DecodeReport {
    private DecodeReport() {}

    public static void json(Json j, List<DecodedEvent> events, int unparsedLines) {
        j.begin().beginArray("events");
        for (DecodedEvent d : events) event(j, d);
        j.endArray();
        j.field("unparsed_lines", unparsedLines);
        j.end();
    }

    private static void event(Json j, DecodedEvent d) {
        KernelEvent e = d.event();
        j.begin();
        j.field("line", e.lineNumber());
        j.field("kind", e.kind());
        j.field("detail", e.detail());
        j.field("comm", e.comm());
        j.field("pid", e.pid());
        j.field("address", hex(e.address()));
        j.field("ip", hex(e.ip()));
        j.field("sp", hex(e.sp()));
        if (e.errorCode() == null) j.field("error_code", (String) null);
        else j.field("error_code", e.errorCode().longValue());
        j.field("access", d.pageFault() == null ? null : d.pageFault().access());
        j.field("mode", d.pageFault() == null ? null : d.pageFault().mode());
        j.field("page", d.pageFault() == null ? null : d.pageFault().page());
        j.field("meaning", d.meaning());
        j.field("module", e.module());
        j.field("vma_start", hex(e.vmaStart()));
        j.field("vma_size", hex(e.vmaSize()));
        j.field("module_offset", hex(d.moduleOffset()));
        j.field("module_offset_from", d.offsetHow());
        j.field("binary", d.binary());
        j.field("binary_from", d.binaryHow());
        j.field("build_id", d.buildId());
        j.field("debug_file", d.debugFile());
        j.field("symbol", d.symbol());
        j.field("symbol_offset", hex(d.symbolOffset()));
        j.field("code_bytes", e.codeBytes() != null ? e.codeBytes() : d.fileBytes());
        j.field("file_bytes", d.fileBytes());
        if (d.codeMatchesFile() == null) j.field("code_matches_file", (String) null);
        else j.field("code_matches_file", d.codeMatchesFile().booleanValue());
        j.field("process", d.liveProcess());
        j.beginArray("notes");
        for (String n : d.notes()) j.value(SafeText.clean(n));
        j.endArray();
        j.end();
    }

    public static void text(PrintStream out, List<DecodedEvent> events) {
        boolean first = true;
        for (DecodedEvent d : events) {
            if (!first) out.println();
            first = false;
            KernelEvent e = d.event();
            String who = e.comm() == null ? "PID " + e.pid() : e.comm() + "[" + e.pid() + "]";
            out.println(who + ": " + e.detail() + (e.errorCode() == null ? "" : " (error " + Long.toHexString(e.errorCode()) + ")"));
            out.println("  meaning:  " + d.meaning());
            if (e.ip() != null) out.println("  ip " + Hex.of(e.ip()) + "  sp " + Hex.of(e.sp()));
            if (e.module() != null)
                out.println("  in:       " + e.module() + (e.vmaStart() == null ? "" : " VMA " + Hex.of(e.vmaStart()) + "+" + Hex.of(e.vmaSize())));
            if (d.moduleOffset() != null) out.println("  file offset of ip: " + Hex.of(d.moduleOffset()) + " (" + d.offsetHow() + ")");
            if (d.binary() != null) out.println("  binary:   " + d.binary() + " (" + d.binaryHow() + ")"
                    + (d.buildId() == null ? "" : ", build-id " + d.buildId()));
            if (d.debugFile() != null) out.println("  debug:    " + d.debugFile());
            if (d.symbol() != null) out.println("  symbol:   " + d.symbol() + "+" + Hex.of(d.symbolOffset()));
            if (d.fileBytes() != null) out.println("  bytes at ip in the file: " + d.fileBytes());
            if (e.codeBytes() != null) out.println("  Code: (from the kernel) " + e.codeBytes()
                    + (d.codeMatchesFile() == null ? "" : d.codeMatchesFile() ? "  [matches the file]" : "  [DIFFERS from the file]"));
            if (d.liveProcess() != null) out.println("  process:  " + d.liveProcess());
            for (String n : d.notes()) out.println("  note:     " + SafeText.clean(n));
        }
    }

    private static String hex(Long v) {
        return v == null ? null : Hex.of(v);
    }
}
