package io.lminspect.host;

import io.lminspect.util.SafeText;

import java.util.Objects;

/**
 * Who a process belongs to: the unit, container or process tree an operator restarts.
 * Names come from a target's /proc, so the factories escape and cap them; build
 * instances through the factories, not the canonical constructor.
 *
 * @param name        unit name ("nginx.service"), short container id or lxc name, or "prog (pid N)"
 * @param containerId full 64-hex id for containers that have one, else null
 * @param runtime     "docker", "podman", "containerd", "cri-o", "kubernetes", "lxc", or null
 * @param podUid      the pod's UID for kubernetes containers, else null
 * @param treeRootPid the oldest same-executable ancestor for process trees, else null
 */
public record Service(String name, ServiceKind kind, String containerId, String runtime, String podUid, Integer treeRootPid) {
    /** Longest name taken from a target (systemd's own limit for unit names is 255). */
    public static final int MAX_NAME = 255;

    public Service {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    public static Service systemdUnit(String rawUnit) {
        return new Service(safeName(rawUnit), ServiceKind.SYSTEMD, null, null, null, null);
    }

    /** A container known by its 64-hex id; named by the short id that `docker ps` shows. */
    public static Service container(String runtime, String id64, String podUid) {
        return new Service(id64.substring(0, 12), ServiceKind.CONTAINER, id64, runtime, podUid, null);
    }

    /** A container known only by name (lxc). */
    public static Service namedContainer(String runtime, String rawName) {
        return new Service(safeName(rawName), ServiceKind.CONTAINER, null, runtime, null, null);
    }

    /** The tree of processes under rootPid; program is its executable's file name, or null when unknown. */
    public static Service processTree(String rawProgram, int rootPid) {
        String name = rawProgram == null || rawProgram.isEmpty() ? "pid " + rootPid
                : safeName(rawProgram) + " (pid " + rootPid + ")";
        return new Service(name, ServiceKind.PROCESS_TREE, null, null, null, rootPid);
    }

    /**
     * A name that stays the same across restarts, for metric labels: a process tree's
     * name without its root pid (pids would make the label set unbounded).
     */
    public String stableName() {
        return kind == ServiceKind.PROCESS_TREE && treeRootPid != null ? name.replaceFirst(" \\(pid \\d+\\)$", "") : name;
    }

    /** Capped first, then escaped: the cap bounds the work, the escaping makes it printable. */
    static String safeName(String raw) {
        if (raw == null) return "";
        String capped = raw.length() > MAX_NAME ? raw.substring(0, MAX_NAME) + "…" : raw;
        return SafeText.clean(capped);
    }
}
