package io.lminspect.host;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who a process belongs to: the container or systemd unit its /proc/PID/cgroup names,
 * else (no systemd, a bare container, init.scope, the root cgroup, a cgroup file that
 * cannot be read or trusted) the tree of processes running its executable.
 *
 * <p>Never throws: a process that vanishes mid-read is reported as its own tree.
 * Answers are kept per PID for the life of the resolver (one scan), so use a new
 * resolver for each scan, since PIDs are reused. Safe for concurrent use.
 */
public final class ServiceResolver {
    private final Path procRoot;
    private final ProcessTree tree;
    private final Map<Integer, Service> services = new ConcurrentHashMap<>();

    /** Resolves the host's processes, from /proc. */
    public ServiceResolver() {
        this(Path.of("/proc"));
    }

    /** Resolves from another procfs-shaped directory (PID/cgroup, PID/stat, PID/exe). */
    public ServiceResolver(Path procRoot) {
        this.procRoot = procRoot;
        this.tree = new ProcessTree(procRoot);
    }

    public Service resolve(int pid) {
        Service known = services.get(pid);
        if (known != null) return known;
        Service s;
        try {
            s = CgroupFile.read(procRoot.resolve(Integer.toString(pid)).resolve("cgroup"))
                    .flatMap(CgroupFile::service)
                    .orElseGet(() -> tree.serviceOf(pid));
        } catch (RuntimeException e) {
            // nothing above should throw; if it does, a scan still gets an answer for every PID
            s = Service.processTree(null, pid);
        }
        Service prev = services.putIfAbsent(pid, s);
        return prev != null ? prev : s;
    }
}
