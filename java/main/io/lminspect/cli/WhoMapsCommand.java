package io.lminspect.cli;

import io.lminspect.host.WhoMaps;
import io.lminspect.report.model.WhoMapsReport;
import io.lminspect.util.Failure;
import io.lminspect.util.SafeText;
import io.lminspect.util.InspectException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "who-maps",
        exitCodeList = {"0:no process maps the files", "1:some process maps one of them", HelpText.EXIT_CANNOT},
        footer = {"  lminspect who-maps /usr/lib/x86_64-linux-gnu/libssl.so.3"},
        description = {
        "Which processes map FILE, by device and inode: run it before touching a library.",
        "Exit 0 when nobody maps it, 1 when some process does."})
final class WhoMapsCommand extends ReportCommand {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "files to look for")
    List<String> files;

    WhoMapsCommand(Streams io) {
        super(io);
    }

    @Override
    WhoMapsReport report() {
        WhoMaps.Result r = WhoMaps.find(files);
        boolean anyHolder = r.files().stream().anyMatch(u -> !u.holders().isEmpty());
        // "nobody maps it" would be a claim about processes we could not read (rule 6): say so instead
        if (!anyHolder && r.unread() > 0)
            throw new InspectException(Failure.PARTIAL_VIEW, "no process we could read maps " + (files.size() == 1 ? "it" : "them"),
                    r.unread(), SafeText.clean(r.unreadReason()));
        return new WhoMapsReport(List.copyOf(r.files()), r.unread());
    }
}
