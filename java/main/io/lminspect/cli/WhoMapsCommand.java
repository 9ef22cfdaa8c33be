package io.lminspect.cli;

import io.lminspect.host.WhoMaps;
import io.lminspect.report.json.Json;
import io.lminspect.inferior.Mappings;
import io.lminspect.util.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "who-maps", mixinStandardHelpOptions = true, versionProvider = Version.class, description = {
        "Which processes map FILE, by device and inode: run it before touching a library.",
        "Exit 0 when nobody maps it, 1 when some process does."})
final class WhoMapsCommand implements Callable<Integer> {
    private final Streams io;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "files to look for")
    List<String> files;

    @Mixin
    JsonOption output = new JsonOption();

    WhoMapsCommand(Streams io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        List<WhoMaps.FileUse> uses = WhoMaps.find(files);
        boolean any = uses.stream().anyMatch(u -> !u.holders().isEmpty());
        if (output.json) {
            try (Json j = new Json(io.out())) {
                j.begin().beginArray("files");
                for (WhoMaps.FileUse u : uses) {
                    j.begin().field("path", SafeText.clean(u.path())).field("dev", Mappings.devString(u.dev())).field("inode", u.inode());
                    j.beginArray("processes");
                    for (WhoMaps.Holder h : u.holders()) {
                        j.begin().field("pid", h.pid()).field("exe", SafeText.clean(h.exe()));
                        j.beginArray("ranges");
                        for (String r : h.ranges()) j.value(r);
                        j.endArray().end();
                    }
                    j.endArray().end();
                }
                j.endArray().end();
            }
        } else {
            for (WhoMaps.FileUse u : uses) {
                io.out().printf("%s (dev %s, inode %d): %s%n", SafeText.clean(u.path()), Mappings.devString(u.dev()), u.inode(),
                        u.holders().isEmpty() ? "not mapped by any process" : "mapped by " + u.holders().size() + " process"
                                + (u.holders().size() == 1 ? "" : "es"));
                for (WhoMaps.Holder h : u.holders())
                    io.out().printf("  pid %-7d %s  %s%n", h.pid(), SafeText.clean(h.exe()), String.join(" ", h.ranges()));
            }
        }
        io.out().flush();
        return any ? 1 : 0;
    }

}
