package io.lminspect.report.text;

import io.lminspect.decode.DecodedEvent;
import io.lminspect.decode.KernelEvent;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;
import java.io.PrintStream;
import java.util.List;

/** decode for a person: a short block per event. */
final class DecodeText {
    private DecodeText() {}

    static void write(PrintStream out, List<DecodedEvent> events) {
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

}
