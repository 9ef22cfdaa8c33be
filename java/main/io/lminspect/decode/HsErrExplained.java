package io.lminspect.decode;

import io.lminspect.crash.Crash;
import io.lminspect.finding.Finding;

import java.util.List;

/**
 * A HotSpot fatal error log explained: the crash as the log tells it, placed in the process's
 * maps the log carries, and every mapped file compared with the file at that path today (the
 * findings, with core's codes and severities). A value: everything is computed, nothing is read
 * while it is drawn.
 *
 * @param startedEpochMillis  the JVM's start as the log's times give it (null when they do not)
 * @param crashedEpochMillis  the crash (the log's birth time when it agrees with its "Time:", else that line)
 * @param timePrecisionMillis how far either may be off
 * @param timeFrom            where the crash time came from, in words
 */
public record HsErrExplained(String file, int pid, String jre, String command, String threadName, Long startedEpochMillis,
                             Long crashedEpochMillis, long timePrecisionMillis, String timeFrom, Crash crash, String pcOffset,
                             String problematicFrame, List<String> javaFrames, List<String> nativeFrames, List<Library> libraries,
                             List<Finding> findings, List<String> notes) {

    /**
     * One mapped file: its identity in the log, when the JVM loaded it (seconds after its start; null when
     * the log does not say), and what the path holds today: same, rewritten, replaced, deleted or unknown.
     */
    public record Library(String path, long dev, long inode, Double loadedAtSeconds, String today) {}
}
