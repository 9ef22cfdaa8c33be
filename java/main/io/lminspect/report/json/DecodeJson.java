package io.lminspect.report.json;

import io.lminspect.decode.DecodedEvent;
import io.lminspect.decode.KernelEvent;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;
import java.util.List;

/** decode's {"events": […]} document. */
final class DecodeJson {
    private DecodeJson() {}

    static void write(Json j, List<DecodedEvent> events, int unparsedLines) {
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

    private static String hex(Long v) {
        return v == null ? null : Hex.of(v);
    }
}
