package io.lminspect.decode;

import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Mappings;
import io.lminspect.util.InspectException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a HotSpot fatal error log, JDK 8's layout through 25's: recognised by its banner,
 * read line by line; a section or field a JDK did not write is simply absent, and a line
 * that does not parse is skipped (counted for the maps), never fatal.
 */
public final class HsErrParser {
    /** The banner every HotSpot fatal error log starts with. */
    static final String BANNER = "A fatal error has been detected by the Java Runtime Environment";

    private static final Pattern HEADER = Pattern.compile("^#\\s+(SIG[A-Z0-9]+) \\(0x([0-9a-fA-F]+)\\) at pc=(0x[0-9a-fA-F]+), pid=(\\d+), tid=(0x[0-9a-fA-F]+|\\d+)");
    private static final Pattern SIGINFO = Pattern.compile(
            "^siginfo:\\s*si_signo:\\s*(\\d+) \\((SIG[A-Z0-9]+)\\), si_code:\\s*(-?\\d+) \\(([A-Z_0-9]+)\\)(?:, si_addr:\\s*(0x[0-9a-fA-F]+))?");
    /** JDK 8 and older: {@code siginfo:si_signo=SIGBUS: si_errno=0, si_code=2 (BUS_ADRERR), si_addr=0x…}. */
    private static final Pattern SIGINFO_OLD = Pattern.compile(
            "^siginfo:\\s*si_signo=(SIG[A-Z0-9]+): si_errno=-?\\d+, si_code=(-?\\d+) \\(([A-Z_0-9]+)\\)(?:, si_addr=(0x[0-9a-fA-F]+))?");
    private static final Pattern THREAD = Pattern.compile("^Current thread \\(0x[0-9a-fA-F]+\\):\\s+\\w+ \"([^\"]*)\".*?\\bid=(\\d+)");
    private static final Pattern TIME = Pattern.compile("^[Tt]ime: (.+?)(?:\\s+elapsed time: ([0-9.]+) seconds.*)?$");
    private static final Pattern ELAPSED = Pattern.compile("^elapsed time: ([0-9.]+) seconds");
    private static final Pattern LOADED = Pattern.compile("^Event: ([0-9.]+) (?:Thread 0x[0-9a-fA-F]+ )?Loaded shared library (/.+)$");
    private static final Pattern MAPS_LINE = Pattern.compile("^[0-9a-f]+-[0-9a-f]+ [-r][-w][-x][-ps] [0-9a-f]+ [0-9a-f]+:[0-9a-f]+ \\d+.*");

    private HsErrParser() {}

    /** True when the text is a HotSpot fatal error log (its banner within the first lines). */
    public static boolean recognises(List<String> lines) {
        for (int i = 0; i < Math.min(lines.size(), 20); i++) if (lines.get(i).contains(BANNER)) return true;
        return false;
    }

    public static HsErrLog parse(List<String> lines) {
        String signalName = null, code = null, problematic = null, threadName = null, jre = null, command = null, timeText = null;
        int signal = 0, pid = -1;
        Long address = null, pc = null;
        long thread = -1;
        Double elapsed = null;
        Map<String, Double> loaded = new LinkedHashMap<>();
        List<String> nativeFrames = new ArrayList<>(), javaFrames = new ArrayList<>();
        List<Mapping> maps = new ArrayList<>();
        int unreadMaps = 0, loadEvents = 0;
        List<String> section = null;
        boolean inMaps = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (inMaps) {
                if (l.isBlank()) {
                    inMaps = false;
                } else if (MAPS_LINE.matcher(l).matches()) {
                    try {
                        maps.addAll(Mappings.parseProcMaps(l).all());
                    } catch (InspectException e) {
                        unreadMaps++;
                    }
                } else {
                    unreadMaps++;
                }
                continue;
            }
            if (section != null) {
                if (l.isBlank() || l.startsWith("siginfo") || l.startsWith("---")) section = null;
                else if (!l.startsWith("...") && !l.startsWith("Java frames:") && !l.startsWith("Native frames:")) section.add(l);
            }
            Matcher m;
            if (signalName == null && (m = HEADER.matcher(l)).find()) {
                signalName = m.group(1);
                signal = Integer.parseInt(m.group(2), 16);
                pc = Long.parseUnsignedLong(m.group(3).substring(2), 16);
                pid = Integer.parseInt(m.group(4));
                String tid = m.group(5);
                // JDK 8 writes the pthread id in hex there; newer ones the kernel's thread id
                if (!tid.startsWith("0x")) thread = Long.parseLong(tid);
            } else if (l.startsWith("# Problematic frame:") && i + 1 < lines.size()) {
                problematic = lines.get(i + 1).replaceFirst("^#\\s*", "").strip();
            } else if (jre == null && l.startsWith("# JRE version:")) {
                jre = l.substring("# JRE version:".length()).strip();
            } else if ((m = SIGINFO.matcher(l)).find()) {
                signal = Integer.parseInt(m.group(1));
                signalName = m.group(2);
                code = m.group(4);
                if (m.group(5) != null) address = Long.parseUnsignedLong(m.group(5).substring(2), 16);
            } else if ((m = SIGINFO_OLD.matcher(l)).find()) {
                signalName = m.group(1);
                code = m.group(3);
                if (m.group(4) != null) address = Long.parseUnsignedLong(m.group(4).substring(2), 16);
            } else if (threadName == null && (m = THREAD.matcher(l)).find()) {
                threadName = m.group(1);
                thread = Long.parseLong(m.group(2));
            } else if (timeText == null && (m = TIME.matcher(l)).find()) {
                timeText = m.group(1).strip();
                if (m.group(2) != null) elapsed = Double.parseDouble(m.group(2));
            } else if (elapsed == null && (m = ELAPSED.matcher(l)).find()) {
                elapsed = Double.parseDouble(m.group(1));
            } else if (command == null && l.startsWith("java_command:")) {
                command = l.substring("java_command:".length()).strip();
            } else if ((m = LOADED.matcher(l)).find()) {
                loaded.put(m.group(2).strip(), Double.parseDouble(m.group(1))); // the last load of a path counts
                loadEvents++;
            } else if (l.startsWith("Native frames:") && nativeFrames.isEmpty()) {
                section = nativeFrames;
            } else if (l.startsWith("Java frames:") && javaFrames.isEmpty()) {
                section = javaFrames;
            } else if (l.startsWith("Dynamic libraries:") && maps.isEmpty()) {
                inMaps = true;
            }
        }
        return new HsErrLog(signalName, signal, code, address, pc, pid, problematic, thread, threadName, jre, command, timeText, elapsed,
                Map.copyOf(loaded), loadEvents, List.copyOf(nativeFrames), List.copyOf(javaFrames), new Mappings(maps), unreadMaps);
    }
}
