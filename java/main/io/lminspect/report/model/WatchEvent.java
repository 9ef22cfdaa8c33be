package io.lminspect.report.model;

import io.lminspect.check.JniOrigins;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.host.Service;

import java.util.List;

/**
 * One change to one mapped file and what it did to the processes that map it: the
 * findings about that file (codes, worst severity; null severity when none) and who
 * maps it. latencyMillis runs from the first notification read to the event's output. writer: who
 * wrote it, or null with writerUnknown saying why (inotify does not say; the writer was gone).
 * origin: when the file is a JNI library a JVM extracted, its jar and loader (else null).
 */
public record WatchEvent(long epochMillis, Change change, String file, long dev, long inode, Severity severity,
                         List<FindingCode> codes, List<Proc> processes, long latencyMillis, Writer writer, String writerUnknown,
                         JniOrigins.Origin origin) {

    public record Proc(int pid, String exe, Service service) {}

    /** "critical", "warning", "info", or "ok" when no finding is about the file. */
    public String severityName() {
        return severity == null ? "ok" : severity.json;
    }
}
