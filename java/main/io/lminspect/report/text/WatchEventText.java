package io.lminspect.report.text;

import io.lminspect.report.json.WatchEventJson;
import io.lminspect.report.model.WatchEvent;
import io.lminspect.finding.FindingCode;
import io.lminspect.inferior.Mappings;
import io.lminspect.util.SafeText;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** watch without --json: one line per event, for a person reading a terminal or a journal. */
public final class WatchEventText {
    /** Beyond this many processes a line names the services only. */
    static final int MAX_PIDS = 8;

    private WatchEventText() {}

    public static String watching(int processes, int files, String mechanism, String detail) {
        return "watching " + processes + " processes, " + files + " mapped files (" + mechanism + (detail.isEmpty() ? "" : ", " + detail) + ")";
    }

    public static String change(WatchEvent e) {
        StringBuilder sb = new StringBuilder();
        sb.append(WatchEventJson.time(e.epochMillis())).append(' ').append(e.severityName().toUpperCase(Locale.ROOT)).append(' ')
                .append(SafeText.clean(e.file())).append(e.origin() == null ? "" : " " + TextRenderer.origin(e.origin())).append(' ').append(e.change().words)
                .append(" (dev ").append(Mappings.devString(e.dev())).append(" inode ").append(e.inode()).append(")");
        if (!e.codes().isEmpty()) sb.append(": ").append(e.codes().stream().map(FindingCode::name).collect(Collectors.joining(", ")));
        sb.append("; ");
        if (e.processes().isEmpty()) sb.append("no process maps it any more");
        else if (e.processes().size() <= MAX_PIDS) {
            sb.append("mapped by ").append(e.processes().stream()
                    .map(p -> "pid " + p.pid() + " (" + (p.service() == null ? SafeText.clean(String.valueOf(p.exe())) : ScanText.name(p.service())) + ")")
                    .collect(Collectors.joining(", ")));
        } else {
            Set<String> services = new LinkedHashSet<>();
            for (WatchEvent.Proc p : e.processes()) if (p.service() != null) services.add(ScanText.name(p.service()));
            sb.append("mapped by ").append(e.processes().size()).append(" processes of ").append(String.join(", ", services));
        }
        if (e.writer() != null)
            sb.append("; written by pid ").append(e.writer().pid()).append(" (").append(SafeText.clean(e.writer().comm())).append(')');
        sb.append(" [").append(e.latencyMillis()).append(" ms]");
        return sb.toString();
    }

}
