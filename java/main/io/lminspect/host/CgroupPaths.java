package io.lminspect.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the container or systemd unit a cgroup path belongs to. Forms recognised:
 * <ul>
 * <li>units: {@code /system.slice/nginx.service}, user units
 *     {@code /user.slice/user-1000.slice/user@1000.service/app.slice/foo.service} (the
 *     innermost unit), sessions {@code …/session-3.scope}; {@code init.scope} and the root name none;</li>
 * <li>docker: {@code docker-<id>.scope} (systemd driver), {@code /docker/<id>} (cgroupfs driver);</li>
 * <li>podman: {@code libpod-<id>.scope} (anywhere, e.g. machine.slice), {@code /libpod_parent/libpod-<id>};</li>
 * <li>containerd and CRI-O: {@code cri-containerd-<id>.scope}, {@code crio-<id>.scope}; under
 *     {@code kubepods…} any container is kubernetes's, with the pod UID from
 *     {@code kubepods-…-pod<uid>.slice} or {@code /kubepods/…/pod<uid>/<id>};</li>
 * <li>lxc: {@code /lxc.payload.<name>/…} and {@code /lxc/<name>/…}.</li>
 * </ul>
 * A container wins over a unit around or inside it, and the outermost container wins
 * over one nested in it: that is the one this host's runtime knows.
 */
public final class CgroupPaths {
    private static final Pattern RUNTIME_SCOPE =
            Pattern.compile("(docker|libpod|cri-containerd|crio)-([0-9a-f]{64})(?:\\.scope)?");
    private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{64}");
    /** systemd's driver writes the pod UID with '_' for '-' (a '-' there would mean a parent slice). */
    private static final Pattern POD = Pattern.compile("(?:kubepods(?:-[a-z]+)*-)?pod([0-9a-f][0-9a-f_-]{0,63})(?:\\.slice)?");
    private static final String LXC_PAYLOAD = "lxc.payload.";

    private CgroupPaths() {}

    /** The container or unit of one path; empty for the root, init.scope, slices and unknown forms. */
    public static Optional<Service> classify(String path) {
        List<String> segments = segments(path);
        Optional<Service> container = container(segments);
        return container.isPresent() ? container : systemdUnit(segments);
    }

    /** Path components, without the ".." a cgroup namespace shows for cgroups outside it. */
    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) if (!s.isEmpty() && !s.equals(".") && !s.equals("..")) out.add(s);
        return out;
    }

    private static Optional<Service> container(List<String> segments) {
        boolean kubepods = false;
        String podUid = null;
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            String parent = i > 0 ? segments.get(i - 1) : null;
            if (s.startsWith("kubepods")) kubepods = true;
            if (kubepods) {
                Matcher pod = POD.matcher(s);
                if (pod.matches()) podUid = pod.group(1).replace('_', '-');
            }
            Matcher scope = RUNTIME_SCOPE.matcher(s);
            if (scope.matches()) {
                String runtime = kubepods ? "kubernetes" : runtimeOfPrefix(scope.group(1));
                return Optional.of(Service.container(runtime, scope.group(2), kubepods ? podUid : null));
            }
            if (CONTAINER_ID.matcher(s).matches()) {
                // the cgroupfs drivers name the cgroup by the bare id; its parent says whose it is
                String runtime = kubepods ? "kubernetes" : "docker".equals(parent) ? "docker" : null;
                return Optional.of(Service.container(runtime, s, kubepods ? podUid : null));
            }
            if (s.startsWith(LXC_PAYLOAD) && s.length() > LXC_PAYLOAD.length())
                return Optional.of(Service.namedContainer("lxc", s.substring(LXC_PAYLOAD.length())));
            if ("lxc".equals(parent)) return Optional.of(Service.namedContainer("lxc", s));
        }
        return Optional.empty();
    }

    private static String runtimeOfPrefix(String prefix) {
        return switch (prefix) {
            case "docker" -> "docker";
            case "libpod" -> "podman";
            case "cri-containerd" -> "containerd";
            default -> "cri-o";
        };
    }

    /** The innermost unit: a user's foo.service inside user@1000.service, not the user manager. */
    private static Optional<Service> systemdUnit(List<String> segments) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            String s = segments.get(i);
            if (isUnitWithProcesses(s) && !s.equals("init.scope")) return Optional.of(Service.systemdUnit(s));
        }
        return Optional.empty();
    }

    /** Only services and scopes hold processes; slices only group them. */
    private static boolean isUnitWithProcesses(String s) {
        return (s.endsWith(".service") && s.length() > ".service".length())
                || (s.endsWith(".scope") && s.length() > ".scope".length());
    }
}
