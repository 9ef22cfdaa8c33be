package io.lminspect.host;

import io.lminspect.support.TestCgroups;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real processes in real cgroups (as root, on a host whose name=systemd v1 hierarchy is
 * writable): the kernel's own /proc/PID/cgroup, read by the resolver. Every cgroup and
 * process a test makes is removed in a finally block.
 */
class ServiceResolverLiveTest {
    static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void processInAServiceCgroupBelongsToTheUnit() throws Exception {
        String unit = "lmi-test-" + HexFormat.of().formatHex(RANDOM.generateSeed(4)) + ".service";
        assertProcessIn("system.slice/" + unit, Service.systemdUnit(unit));
    }

    @Test
    void processInADockerScopeBelongsToTheContainer() throws Exception {
        String id = HexFormat.of().formatHex(RANDOM.generateSeed(32));
        assertProcessIn("system.slice/docker-" + id + ".scope", Service.container("docker", id, null));
    }

    @Test
    void processInAKubernetesPodBelongsToItsContainerAndPod() throws Exception {
        String id = HexFormat.of().formatHex(RANDOM.generateSeed(32));
        String pod = "0f1e2d3c-4b5a-6978-8a9b-" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        assertProcessIn("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + pod.replace('-', '_')
                + ".slice/cri-containerd-" + id + ".scope", Service.container("kubernetes", id, pod));
    }

    @Test
    void processesWithoutUnitBelongToTheOldestSameExecutableAncestor() throws Exception {
        Optional<Service> own = CgroupFile.read(Path.of("/proc/self/cgroup")).flatMap(CgroupFile::service);
        assumeTrue(own.isEmpty(), () -> "SKIPPED: the test JVM runs in " + own.orElseThrow().name()
                + ", which its children inherit: they would not be process trees");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "SKIPPED: needs /bin/bash");
        // bash → subshell bash (a fork that stays bash, as sleep is not its last command) → sleep
        Process top = new ProcessBuilder("/bin/bash", "-c", "(sleep 60; true) & wait").start();
        try {
            ProcessHandle subshell = waitForChild(top.toHandle());
            ProcessHandle sleep = waitForChild(subshell);
            waitForExe(sleep, "sleep");
            ServiceResolver r = new ServiceResolver();
            Service tree = Service.processTree("bash", (int) top.pid());
            assertEquals(tree, r.resolve((int) subshell.pid()));
            assertEquals(tree, r.resolve((int) top.pid()));
            assertEquals(Service.processTree("sleep", (int) sleep.pid()), r.resolve((int) sleep.pid()),
                    "its parent runs another executable: sleep is its own tree");
        } finally {
            top.descendants().forEach(ProcessHandle::destroyForcibly);
            top.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Puts a fresh `sleep 60` into cgroupPath of each writable hierarchy and resolves it. */
    private static void assertProcessIn(String cgroupPath, Service expected) throws Exception {
        Process sleep = null;
        try (TestCgroups cgroups = new TestCgroups()) {
            sleep = new ProcessBuilder("sleep", "60").start();
            cgroups.place(sleep.pid(), cgroupPath);
            String cgroup = Files.readString(Path.of("/proc", Long.toString(sleep.pid()), "cgroup"));
            assertTrue(cgroup.contains("name=systemd:/" + cgroupPath + "\n"), cgroup);
            assertEquals(expected, new ServiceResolver().resolve((int) sleep.pid()));
        } finally {
            if (sleep != null) sleep.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static ProcessHandle waitForChild(ProcessHandle parent) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Optional<ProcessHandle> c = parent.children().findFirst();
            if (c.isPresent()) return c.get();
            Thread.sleep(50);
        }
        throw new AssertionError("no child of " + parent.pid() + " after 5 s");
    }

    /** Between fork and exec a child still runs its parent's executable. */
    private static void waitForExe(ProcessHandle p, String name) throws Exception {
        Path exe = Path.of("/proc", Long.toString(p.pid()), "exe");
        for (int i = 0; i < 100; i++) {
            if (Files.readSymbolicLink(exe).getFileName().toString().equals(name)) return;
            Thread.sleep(50);
        }
        throw new AssertionError(p.pid() + " never ran " + name);
    }
}
