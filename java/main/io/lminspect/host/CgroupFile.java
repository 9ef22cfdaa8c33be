package io.lminspect.host;

import io.lminspect.inferior.BoundedRead;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of /proc/PID/cgroup: one "ID:CONTROLLERS:PATH" line per hierarchy (v1), and
 * "0::PATH" for the unified (v2) hierarchy, which the kernel always prints last.
 *
 * <p>The paths are names chosen by whoever created the cgroups, and a user with a
 * delegated subtree may create them too. Older kernels accepted a newline in a cgroup
 * name, which the file prints raw: a name could then forge a line of its own. So the
 * file is trusted only as a whole: every line well-formed, each hierarchy once, the
 * unified line last, nothing over the size caps. Otherwise it names no path at all and
 * callers fall back to what they can see without it.
 */
public final class CgroupFile {
    /** More than this is never a real file (15 hierarchies of PATH_MAX paths fit). */
    public static final int MAX_BYTES = 64 * 1024;
    /** A path is at most PATH_MAX (4096) in the kernel; room for the id and controllers. */
    public static final int MAX_LINE = 4096 + 256;

    /** DOTALL: a carriage return or U+2028 in a name is part of the path, not an end of line. */
    private static final Pattern LINE = Pattern.compile("(\\d{1,10}):([^:]*):(/.*)", Pattern.DOTALL);

    private final List<String> paths;
    private final String distrust;

    private CgroupFile(List<String> paths, String distrust) {
        this.paths = paths;
        this.distrust = distrust;
    }

    /** Reads /proc/PID/cgroup (or a file like it) with the size cap; empty when unreadable. */
    public static Optional<CgroupFile> read(Path file) {
        return BoundedRead.of(file, MAX_BYTES).map(CgroupFile::of);
    }

    /** The file of what was read; a read cut at the cap is distrusted. */
    static CgroupFile of(BoundedRead r) {
        return r.truncated() ? untrusted("more than " + MAX_BYTES + " bytes") : parse(new String(r.bytes(), StandardCharsets.UTF_8));
    }

    public static CgroupFile parse(String text) {
        if (text.length() > MAX_BYTES) return untrusted("more than " + MAX_BYTES + " bytes");
        String systemd = null, unified = null;
        List<String> controllers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> hierarchies = new HashSet<>();
        String[] lines = text.split("\n", -1);
        // a well-formed file ends with one newline: the empty string after it is not a line
        int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            int no = i + 1;
            if (line.length() > MAX_LINE) return untrusted("line " + no + " is longer than " + MAX_LINE + " characters");
            Matcher m = LINE.matcher(line);
            if (!m.matches()) return untrusted("line " + no + " is not a cgroup line");
            String id = m.group(1), names = m.group(2), path = m.group(3);
            if (!ids.add(id) || !hierarchies.add(names)) return untrusted("line " + no + " repeats a hierarchy");
            if (unified != null) return untrusted("line " + no + " follows the unified hierarchy's line");
            if (id.equals("0")) {
                if (!names.isEmpty()) return untrusted("line " + no + " gives hierarchy 0 controllers");
                unified = path;
            } else if (hasName(names, "name=systemd")) {
                systemd = path;
            } else {
                controllers.add(path);
            }
        }
        List<String> preferred = new ArrayList<>();
        if (systemd != null) preferred.add(systemd);
        if (unified != null) preferred.add(unified);
        preferred.addAll(controllers);
        return new CgroupFile(List.copyOf(preferred), null);
    }

    private static CgroupFile untrusted(String why) {
        return new CgroupFile(List.of(), why);
    }

    private static boolean hasName(String names, String wanted) {
        for (String n : names.split(",")) if (n.equals(wanted)) return true;
        return false;
    }

    /** The paths in the order they say the most about services: name=systemd, unified, then v1 controllers. */
    public List<String> preferredPaths() {
        return paths;
    }

    /** Why the file was not trusted, or empty when it was. */
    public Optional<String> distrust() {
        return Optional.ofNullable(distrust);
    }

    /**
     * The container or unit these paths name. A container found on any path wins (a
     * container runtime may leave the name=systemd hierarchy at the unit that started
     * it); otherwise the unit of the most preferred path that names one.
     */
    public Optional<Service> service() {
        Service unit = null;
        for (String p : paths) {
            Optional<Service> s = CgroupPaths.classify(p);
            if (s.isEmpty()) continue;
            if (s.get().kind() == ServiceKind.CONTAINER) return s;
            if (unit == null) unit = s.get();
        }
        return Optional.ofNullable(unit);
    }
}
