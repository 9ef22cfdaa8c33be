package io.lminspect.cli;

import io.lminspect.check.Check;
import io.lminspect.check.Checks;
import io.lminspect.check.CoreFileMismatchCheck;
import io.lminspect.check.Inspection;
import io.lminspect.crash.Crash;
import io.lminspect.crash.CrashAnalyzer;
import io.lminspect.linker.AddressNamer;
import io.lminspect.linker.ElfCache;
import io.lminspect.report.InspectionJson;
import io.lminspect.report.InspectionText;
import io.lminspect.report.Json;
import io.lminspect.inferior.CoreFile;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "core", mixinStandardHelpOptions = true, version = "lminspect 0.1.0", description = {
        "The same checks as attach on a core file, and the crash explained.",
        "Signal, fault address, faulting thread, and which link_map pointer the address is.",
        "Pages the core did not dump are read from the files it names (under --sysroot when given)."})
final class CoreCommand implements Callable<Integer> {
    private final Streams io;

    @Parameters(index = "0", paramLabel = "COREFILE", description = "core from gcore or the kernel")
    Path corePath;

    @Option(names = "--exe", paramLabel = "PATH", description = "the executable, when it is no longer at the path the core names")
    Path exe;

    @Option(names = "--sysroot", paramLabel = "DIR", description = "read the files the core names under DIR (a copy of the host's filesystem)")
    Path sysroot;

    @Mixin
    JsonOption output = new JsonOption();

    CoreCommand(Streams io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        ElfCache cache = new ElfCache();
        try (CoreFile core = CoreFile.open(corePath, sysroot, exe)) {
            List<Check> checks = new ArrayList<>(Checks.all());
            checks.add(new CoreFileMismatchCheck(core, exe != null));
            Inspection in = Inspection.run(core, cache, checks);
            addNotes(in, core);
            Crash crash = new CrashAnalyzer(core, in, new AddressNamer(core, cache)).analyze();
            if (output.json) {
                try (Json j = new Json(io.out())) {
                    InspectionJson.write(j, in, x -> writeCrash(x, core, crash));
                }
            } else {
                io.out().println("core " + SafeText.clean(corePath.toString()) + ", " + core.threads().size() + " thread"
                        + (core.threads().size() == 1 ? "" : "s"));
                InspectionText.write(io.out(), in, true);
                printCrash(io.out(), crash);
            }
            io.out().flush();
            return in.exitCode();
        } finally {
            cache.close();
        }
    }

    private void addNotes(Inspection in, CoreFile core) {
        in.note("a core: pages it did not dump (clean file pages) were read from the files it names"
                + (sysroot != null ? " under " + sysroot : "") + ", as they are today");
        if (exe != null && core.exePath() == null)
            in.note("--exe was given but the core names no executable at AT_PHDR: it was not used");
        int shown = 0;
        for (Map.Entry<String, String> r : core.refusedFiles().entrySet()) {
            if (r.getKey().startsWith("/dev/") || r.getKey().startsWith("/memfd:") || r.getKey().startsWith("/SYSV")) continue;
            if (shown++ == 5) break;
            in.note("not read: " + r.getKey() + " (" + r.getValue() + ")");
        }
    }

    private static void writeCrash(Json j, CoreFile core, Crash c) {
        j.beginObject("crash");
        j.field("signal", c.signal()).field("signal_name", c.signalName()).field("code", c.code())
                .field("address", c.address() == null ? null : Hex.of(c.address())).field("pc", Hex.of(c.pc()))
                .field("pc_object", SafeText.clean(c.pcObject())).field("pc_symbol", SafeText.clean(c.pcSymbol())).field("caller", SafeText.clean(c.caller()))
                .field("thread", c.thread());
        // built from parts already escaped: SafeText's length cap would cut the explanation short
        j.field("explanation", c.explanation());
        j.end();
        j.beginObject("core");
        j.field("path", SafeText.clean(core.path().toString())).field("threads", core.threads().size())
                .field("exe_in_core", SafeText.clean(core.exePath()));
        j.end();
    }

    private static void printCrash(PrintStream out, Crash c) {
        out.println();
        if (c.signal() == 0) {
            out.println("crash: none (" + c.explanation() + ")");
        } else {
            out.println("crash: " + (c.signalName() == null ? "signal " + c.signal() : c.signalName()) + " " + c.code()
                    + (c.address() == null ? "" : " at " + Hex.of(c.address())));
        }
        out.println("  thread " + c.thread() + ", pc " + Hex.of(c.pc()) + (c.pcObject() == null ? ""
                : "  " + SafeText.clean(c.pcObject()) + (c.pcSymbol() == null ? "" : " " + SafeText.clean(c.pcSymbol()))));
        if (c.caller() != null) out.println("  called from " + SafeText.clean(c.caller()));
        if (c.signal() != 0) out.println("  => " + c.explanation());
    }
}
