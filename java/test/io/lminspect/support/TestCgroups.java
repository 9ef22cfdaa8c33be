package io.lminspect.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cgroups a test makes, in every writable hierarchy that names units (v1 name=systemd,
 * and the v2 unified one beside it), so /proc/PID/cgroup reads as it does under
 * systemd. close() moves the placed processes back to the root and removes exactly
 * the directories it made.
 */
public final class TestCgroups implements AutoCloseable {
    static final Path CGROUP = Path.of("/sys/fs/cgroup");
    static final Path SYSTEMD = CGROUP.resolve("systemd");
    static final Path UNIFIED = CGROUP.resolve("unified");

    private final List<Path> hierarchies = new ArrayList<>();
    private final List<Path> made = new ArrayList<>();
    private final List<Long> placed = new ArrayList<>();

    /** Skips the test (with the reason) where cgroups cannot be made. */
    public TestCgroups() {
        Env.assumeRoot("making cgroups");
        assumeTrue(Files.isDirectory(SYSTEMD) && Files.isWritable(SYSTEMD.resolve("cgroup.procs")),
                "SKIPPED: no writable name=systemd cgroup v1 hierarchy at " + SYSTEMD + " (a v2-only host, or cgroups mounted read-only)");
        hierarchies.add(SYSTEMD);
        if (Files.isDirectory(UNIFIED) && Files.isWritable(UNIFIED.resolve("cgroup.procs"))) hierarchies.add(UNIFIED);
    }

    /** Puts pid into the cgroup at path (e.g. "system.slice/web.service"), made if missing. */
    public void place(long pid, String path) throws IOException {
        for (Path h : hierarchies) {
            Path dir = h;
            for (String part : path.split("/")) {
                dir = dir.resolve(part);
                if (!Files.isDirectory(dir)) {
                    Files.createDirectory(dir);
                    made.add(dir);
                }
            }
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
        }
        placed.add(pid);
    }

    @Override
    public void close() throws InterruptedException {
        for (long pid : placed) {
            for (Path h : hierarchies) {
                try {
                    Files.writeString(h.resolve("cgroup.procs"), Long.toString(pid));
                } catch (IOException e) {
                    // already exited: nothing to move
                }
            }
        }
        for (int i = made.size() - 1; i >= 0; i--) removeDir(made.get(i));
    }

    /** rmdir; a cgroup stays busy for a moment after its last process is reaped. */
    private static void removeDir(Path dir) throws InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        System.err.println("could not remove test cgroup " + dir);
    }
}
