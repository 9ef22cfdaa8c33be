package io.lminspect.host;

import io.lminspect.inferior.BoundedRead;
import io.lminspect.inferior.ProcessLineage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
    private final ProcessLineage lineage;
    private final Map<Integer, Service> services = new ConcurrentHashMap<>();
    /** What a cgroup file says, by its bytes: on a host most processes share a handful of them. */
    private final Map<String, Optional<Service>> byCgroupText = new ConcurrentHashMap<>();

    /** Resolves the host's processes, from /proc. */
    public ServiceResolver() {
        this(Path.of("/proc"));
    }

    /** Resolves from another procfs-shaped directory (PID/cgroup, PID/stat, PID/exe). */
    public ServiceResolver(Path procRoot) {
        this.procRoot = procRoot;
        this.lineage = new ProcessLineage(procRoot);
    }

    public Service resolve(int pid) {
        return resolve(pid, null);
    }

    /** cgroupRead: /proc/PID/cgroup as the caller already read it (a scan opens each process with it), or null. */
    public Service resolve(int pid, byte[] cgroupRead) {
        Service known = services.get(pid);
        if (known != null) return known;
        Service s;
        try {
            Optional<BoundedRead> cgroup = cgroupRead != null ? Optional.of(BoundedRead.cut(cgroupRead, CgroupFile.MAX_BYTES))
                    : BoundedRead.of(procRoot.resolve(Integer.toString(pid)).resolve("cgroup"), CgroupFile.MAX_BYTES);
            s = cgroup.flatMap(this::serviceOfCgroupFile)
                    .orElseGet(() -> processTree(pid));
        } catch (RuntimeException e) {
            // nothing above should throw; if it does, a scan still gets an answer for every PID
            s = Service.processTree(null, pid);
        }
        Service prev = services.putIfAbsent(pid, s);
        return prev != null ? prev : s;
    }

    /** The lineage this resolver reads (and caches) parents through: LiveProcess asks it too. */
    public ProcessLineage lineage() {
        return lineage;
    }

    /** The tree of pid as a service; a process that cannot be read is its own root. */
    private Service processTree(int pid) {
        int root = lineage.rootOf(pid);
        String program = lineage.programOf(root);
        if ("java".equals(program)) {
            // a bare JVM is its application: `java -jar app.jar` is app.jar, not "java"
            String app = javaApplication(root);
            if (app != null) program = app;
        }
        return Service.processTree(program, root);
    }

    /** Bytes of a command line read at most: a JVM's class path can be long, the application comes after it. */
    static final int MAX_CMDLINE = 256 * 1024;

    private String javaApplication(int pid) {
        return BoundedRead.of(procRoot.resolve(Integer.toString(pid)).resolve("cmdline"), MAX_CMDLINE)
                .map(r -> JavaCommand.application(java.util.Arrays.asList(new String(r.bytes(), StandardCharsets.UTF_8).split("\0"))))
                .orElse(null);
    }

    private Optional<Service> serviceOfCgroupFile(BoundedRead r) {
        if (r.truncated()) return CgroupFile.of(r).service();
        return byCgroupText.computeIfAbsent(new String(r.bytes(), StandardCharsets.UTF_8), t -> CgroupFile.parse(t).service());
    }
}
