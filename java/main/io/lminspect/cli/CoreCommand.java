package io.lminspect.cli;

import io.lminspect.check.BadPointerRegisters;
import io.lminspect.check.Check;
import io.lminspect.check.Checks;
import io.lminspect.check.CoreFileMismatchCheck;
import io.lminspect.check.Inspection;
import io.lminspect.crash.Crash;
import io.lminspect.crash.CrashAnalyzer;
import io.lminspect.inferior.CoreFile;
import io.lminspect.linker.AddressNamer;
import io.lminspect.inferior.Memory;
import io.lminspect.linker.ElfCache;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.LinkMapWalker;
import io.lminspect.report.model.CrashSection;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.ThreadsSection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Command(name = "core",
        footer = {"  lminspect core core.1234 --exe /usr/sbin/php-fpm", "  lminspect core --sysroot /srv/copy-of-host core.1234"},
        description = {
        "The same checks as attach on a core file, and the crash explained.",
        "Signal, fault address, faulting thread, and which link_map pointer the address is.",
        "Pages the core did not dump are read from the files it names (under --sysroot when given)."})
final class CoreCommand extends ReportCommand {

    @Parameters(index = "0", paramLabel = "COREFILE", description = "core from gcore or the kernel")
    Path corePath;

    @Option(names = "--exe", paramLabel = "PATH", description = "the executable, when it is no longer at the path the core names")
    Path exe;

    @Option(names = "--sysroot", paramLabel = "DIR", description = "read the files the core names under DIR (a copy of the host's filesystem)")
    Path sysroot;

    @Mixin
    ThoroughOption thorough = new ThoroughOption();

    CoreCommand(Streams io) {
        super(io);
    }

    @Override
    ProcessReport report() {
        try (ElfCache cache = new ElfCache(); CoreFile core = CoreFile.open(corePath, sysroot, exe)) {
            int placed = placeObjectFiles(core);
            List<Check> checks = new ArrayList<>(Checks.all());
            checks.add(new CoreFileMismatchCheck(core, exe != null));
            Inspection in = Inspection.run(core, cache, checks, thorough.thorough);
            addNotes(in, core);
            if (core.placedFiles())
                in.note("the core has no NT_FILE note: " + (core.exePath() != null ? "the executable was placed from --exe, " : "")
                        + placed + " libraries were placed where the link_map says they were loaded"
                        + (sysroot != null ? ", from " + sysroot : ""));
            AddressNamer namer = new AddressNamer(core, cache);
            Crash crash = new CrashAnalyzer(core, in, namer).analyze();
            return ProcessReport.of(in)
                    .withThreads(ThreadsSection.of(core.registers(), namer, new BadPointerRegisters(in)))
                    .withCrash(new CrashSection(crash, corePath.toString(), core.threads().size(), core.exePath()));
        }
    }

    /**
     * A core without NT_FILE names no file: the link_map (in the memory it did dump) says which
     * object was loaded where, so those files are placed before the inspection reads memory.
     */
    private static int placeObjectFiles(CoreFile core) {
        if (!core.placedFiles()) return 0;
        List<Map.Entry<String, Long>> objects = new ArrayList<>();
        for (LinkMapEntry e : new LinkMapWalker(new Memory(core)).walk().entries())
            if (e.nameReadable() && e.nameTerminated()) objects.add(Map.entry(e.name(), e.lAddr()));
        return core.placeObjectFiles(objects);
    }

    private void addNotes(Inspection in, CoreFile core) {
        in.note("a core: pages it did not dump (clean file pages) were read from the files it names"
                + (sysroot != null ? " under " + sysroot : "") + ", as they are today");
        if (exe != null && core.exePath() == null)
            in.note("--exe was given but " + (core.placedFiles() ? "it could not be placed at the core's AT_ENTRY (not an ELF file of the core's class?)"
                    : "the core names no executable at AT_PHDR") + ": it was not used");
        int shown = 0;
        for (Map.Entry<String, String> r : core.refusedFiles().entrySet()) {
            if (r.getKey().startsWith("/dev/") || r.getKey().startsWith("/memfd:") || r.getKey().startsWith("/SYSV")) continue;
            if (shown++ == 5) break;
            in.note("not read: " + r.getKey() + " (" + r.getValue() + ")");
        }
    }
}
