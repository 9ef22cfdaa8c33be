package io.lminspect.decode;

import io.lminspect.inferior.Mappings;

import java.util.List;
import java.util.Map;

/**
 * What a HotSpot fatal error log (hs_err_pid*.log) says, as read by {@link HsErrParser}:
 * the header, the signal, the frames, the process's maps ("Dynamic libraries:", with
 * dev:inode) and when each library was loaded (the event log), and the JVM's times.
 *
 * @param signalName      "SIGSEGV", or null when the JVM died of something else (an internal error, out of memory)
 * @param signal          the signal number, or 0
 * @param code            si_code's name ("SEGV_MAPERR"), or null
 * @param address         si_addr, or null
 * @param pc              the pc of the header ("at pc=…"), or null
 * @param problematicFrame the line after "# Problematic frame:" ("C  [ld-linux-x86-64.so.2+0x22718]"), or null
 * @param thread          the current thread's id (its "id=", else the header's tid), or -1
 * @param threadName      the current thread's name ("main"), or null
 * @param jre             the "# JRE version:" text, or null
 * @param command         java_command, or null
 * @param timeText        the "Time:" value as written (second resolution), or null
 * @param elapsedSeconds  the JVM's age at the crash ("elapsed time:"), or null
 * @param loadedAt        per library path, seconds after the JVM's start at which it was loaded (the event log's last ones)
 * @param loadEvents      how many "Loaded shared library" events the log kept (HotSpot keeps the last 10 or so)
 * @param nativeFrames    "Native frames:" lines
 * @param javaFrames      "Java frames:" lines
 * @param maps            "Dynamic libraries:" (empty when the log has none)
 */
public record HsErrLog(String signalName, int signal, String code, Long address, Long pc, int pid, String problematicFrame,
                       long thread, String threadName, String jre, String command, String timeText, Double elapsedSeconds,
                       Map<String, Double> loadedAt, int loadEvents, List<String> nativeFrames, List<String> javaFrames, Mappings maps,
                       int unreadMapsLines) {

    /** HotSpot's event rings hold at least this many entries: fewer load events than this means none was dropped. */
    public static final int EVENT_RING = 10;

    /** True when every library load of the JVM's life is in the log (no load event dropped from its ring). */
    public boolean loadLogComplete() {
        return loadEvents < EVENT_RING;
    }

    /** True when the Java frames show the thread inside System.load / System.loadLibrary (any JDK's internals for it). */
    public boolean inLibraryLoad() {
        for (String f : javaFrames)
            if (f.contains("java.lang.System.load") || f.contains("java.lang.Runtime.load") || f.contains("ClassLoader.loadLibrary")
                    || f.contains("NativeLibraries.load") || f.contains("NativeLibrary.load")) return true;
        return false;
    }
}
