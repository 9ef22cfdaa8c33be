package io.lminspect.cli;

import io.lminspect.report.model.ExitCode;
import io.lminspect.check.Finding;
import io.lminspect.check.FindingCode;
import io.lminspect.check.Severity;
import io.lminspect.layout.AddressSpaceLayout;
import io.lminspect.layout.LayoutFacts;
import io.lminspect.report.json.Json;
import io.lminspect.report.LayoutReport;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.inferior.ProcFs;
import io.lminspect.util.Hex;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "layout", mixinStandardHelpOptions = true, versionProvider = Version.class, description = {
        "Show a process's address space and the room its heap has above brk.",
        "Exe text/data/bss, heap and brk, mmap area, libraries, stack, vdso, and the layout kind.",
        "Warns when brk has little room (BRK_HEADROOM_LOW, story 4)."})
final class LayoutCommand implements Callable<Integer> {
    private final Streams io;

    @Parameters(index = "0", paramLabel = "PID", description = "process to inspect")
    String pid;

    @Mixin
    JsonOption output = new JsonOption();

    @Option(names = "--brk-min", paramLabel = "BYTES", description = "warn when the room above brk is smaller (default 32M; K, M, G suffixes)")
    String brkMin = "32M";

    LayoutCommand(Streams io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        int p = Pids.parse(pid);
        long limit = parseSize(brkMin);
        try (LiveProcess target = LiveProcess.open(p)) {
            ProcFs.Stat st = ProcFs.stat(p);
            AddressSpaceLayout layout = AddressSpaceLayout.of(target.mappings(), target.identity().exe(), st.startBrk(), target.wordSize());
            LayoutFacts facts = LayoutFacts.read(p);
            target.requireSameProcess();
            List<Finding> findings = new ArrayList<>();
            AddressSpaceLayout.Brk brk = layout.brk();
            if (brk != null && brk.next() != null && Long.compareUnsigned(brk.headroom(), limit) < 0)
                findings.add(headroomLow(brk, limit, layout, facts));
            if (output.json) {
                try (Json j = new Json(io.out())) {
                    LayoutReport.json(j, target, layout, facts, findings, limit);
                }
            } else {
                LayoutReport.text(io.out(), target, layout, facts, findings);
            }
            io.out().flush();
            return findings.isEmpty() ? ExitCode.OK : ExitCode.WARNING;
        }
    }

    private static Finding headroomLow(AddressSpaceLayout.Brk brk, long limit, AddressSpaceLayout layout, LayoutFacts facts) {
        String next = brk.next().path().isEmpty() ? "an anonymous mapping" : SafeText.clean(brk.next().path());
        String remedy = layout.bottomUp()
                ? "the legacy layout puts mmap()s right above the heap: run the program without it (" + (facts.legacyReason() == null
                ? "check setarch -L, vm.legacy_va_layout and ulimit -s" : "here " + facts.legacyReason()) + ") and restart it"
                : "find what mapped " + Hex.of(brk.next().start()) + " so close above the heap, or allocate with mmap instead of brk";
        return Finding.of(Severity.WARNING, FindingCode.BRK_HEADROOM_LOW)
                .object(next)
                .address(Hex.of(brk.end()))
                .message("brk can grow only from " + Hex.of(brk.end()) + " to " + Hex.of(brk.next().start()) + " ("
                        + LayoutReport.size(brk.headroom()) + ", under the " + LayoutReport.size(limit) + " limit) before it meets " + next)
                .evidence("start_brk " + Hex.of(brk.start()) + " (/proc/PID/stat field 47), brk " + Hex.of(brk.end()) + " (end of [heap] in /proc/PID/maps)")
                .evidence("next mapping " + brk.next().range() + " " + brk.next().perms())
                .consequence("once the heap needs more, brk() fails: glibc malloc falls back to mmap, but brk-only allocators "
                        + "(bash's, some embedded ones) report out of memory")
                .remedy(remedy)
                .build();
    }

    /** "33554432", "32M", "32MiB", "512k" → bytes; bad input is exit 3. */
    static long parseSize(String s) {
        String t = s.trim().toLowerCase();
        long mult = 1;
        if (t.endsWith("ib")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) t = t.substring(0, t.length() - 1);
        if (t.endsWith("k")) mult = 1L << 10;
        else if (t.endsWith("m")) mult = 1L << 20;
        else if (t.endsWith("g")) mult = 1L << 30;
        if (mult != 1) t = t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(t);
            if (v < 0 || v > Long.MAX_VALUE / mult) throw new NumberFormatException();
            return v * mult;
        } catch (NumberFormatException e) {
            throw new InspectException("--brk-min " + SafeText.clean(s) + " is not a size: give bytes, or a number with K, M or G");
        }
    }
}
