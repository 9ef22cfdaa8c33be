package io.lminspect.host;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resolver against a hand-made /proc: exact trees, hostile stat lines, vanished processes. */
class ServiceResolverFakeProcTest {
    @TempDir
    Path tmp;
    Path proc;
    Path nginx;
    Path init;

    @BeforeEach
    void programs() throws IOException {
        proc = Files.createDirectories(tmp.resolve("proc"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        nginx = Files.writeString(bin.resolve("nginx"), "not really nginx");
        init = Files.writeString(bin.resolve("init"), "not really init");
    }

    @Test
    void unitFromCgroupWins() throws IOException {
        process(100, 1, "nginx", 50, nginx, "0::/system.slice/nginx.service\n");
        assertEquals(Service.systemdUnit("nginx.service"), new ServiceResolver(proc).resolve(100));
    }

    @Test
    void withoutUnitWorkersBelongToTheirMaster() throws IOException {
        nginxTree("0::/\n");
        ServiceResolver r = new ServiceResolver(proc);
        Service tree = new Service("nginx (pid 100)", ServiceKind.PROCESS_TREE, null, null, null, 100);
        assertEquals(tree, r.resolve(101));
        assertEquals(tree, r.resolve(102));
        assertEquals(tree, r.resolve(100));
        assertEquals(Service.processTree("init", 1), r.resolve(1));
    }

    @Test
    void initScopeAndDistrustedCgroupFilesFallBackToTheTree() throws IOException {
        nginxTree("0::/init.scope\n");
        assertEquals(Service.processTree("nginx", 100), new ServiceResolver(proc).resolve(101));
        Files.writeString(proc.resolve("101/cgroup"), "0::/user.slice/x\n1:name=systemd:/system.slice/sshd.service\n");
        assertEquals(Service.processTree("nginx", 100), new ServiceResolver(proc).resolve(101));
        Files.delete(proc.resolve("101/cgroup"));
        assertEquals(Service.processTree("nginx", 100), new ServiceResolver(proc).resolve(101));
    }

    /** A bare JVM is named by what it runs, not "java". */
    @Test
    void aBareJvmIsNamedByItsApplication() throws IOException {
        Path java = Files.writeString(tmp.resolve("bin/java"), "not really java");
        process(400, 1, "java", 10, java, "0::/\n");
        Files.writeString(proc.resolve("400/cmdline"), "java\0-Xmx1g\0-cp\0/srv/a.jar:/srv/b.jar\0-Dx=y\0com.example.Billing\0--port\0" + "8080\0");
        process(401, 400, "java", 11, java, "0::/\n"); // a child JVM of the same program belongs to the tree
        assertEquals(Service.processTree("com.example.Billing", 400), new ServiceResolver(proc).resolve(401));
        process(500, 1, "java", 10, java, "0::/\n");
        Files.writeString(proc.resolve("500/cmdline"), "/usr/bin/java\0--add-opens\0java.base/java.io=ALL-UNNAMED\0-jar\0/opt/app/orders-2.3.jar\0");
        assertEquals(Service.processTree("orders-2.3.jar", 500), new ServiceResolver(proc).resolve(500));
        process(600, 1, "java", 10, java, "0::/\n");
        Files.writeString(proc.resolve("600/cmdline"), "java\0@/etc/app/jvm.args\0");
        assertEquals(Service.processTree("java", 600), new ServiceResolver(proc).resolve(600), "an @argfile names nothing we read");
    }

    @Test
    void commWithSpacesAndParenthesesDoesNotFoolTheStatParser() throws IOException {
        // a naive split would read ppid 999 out of this comm
        process(300, 1, "x", 10, nginx, "0::/\n");
        process(301, 300, "evil) S 999 (y", 20, nginx, "0::/\n");
        process(1, 0, "init", 1, init, "0::/init.scope\n");
        assertEquals(Service.processTree("nginx", 300), new ServiceResolver(proc).resolve(301));
    }

    @Test
    void withoutAnExecutableTheCommNamesTheProcessEscaped() throws IOException {
        process(310, 1, "a) (b\u001b[31m", 10, null, "0::/\n");
        assertEquals(new Service("a) (b\\x1b[31m (pid 310)", ServiceKind.PROCESS_TREE, null, null, null, 310),
                new ServiceResolver(proc).resolve(310));
    }

    @Test
    void vanishedProcessesAreTheirOwnTree() throws IOException {
        ServiceResolver r = new ServiceResolver(proc);
        assertEquals(new Service("pid 555", ServiceKind.PROCESS_TREE, null, null, null, 555), r.resolve(555));
        process(401, 400, "nginx", 20, nginx, "0::/\n"); // its parent is gone
        assertEquals(Service.processTree("nginx", 401), r.resolve(401));
        Files.writeString(proc.resolve("401/stat"), "garbage");
        assertEquals(Service.processTree("nginx", 401), new ServiceResolver(proc).resolve(401));
    }

    @Test
    void aYoungerParentIsAReusedPidNotAnAncestor() throws IOException {
        process(500, 1, "nginx", 900, nginx, "0::/\n");
        process(501, 500, "nginx", 100, nginx, "0::/\n");
        assertEquals(Service.processTree("nginx", 501), new ServiceResolver(proc).resolve(501));
    }

    @Test
    void aParentLoopInAForgedProcEnds() throws IOException {
        process(600, 601, "nginx", 5, nginx, "0::/\n");
        process(601, 600, "nginx", 5, nginx, "0::/\n");
        Service s = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> new ServiceResolver(proc).resolve(600));
        assertEquals(Service.processTree("nginx", 601), s);
    }

    @Test
    void ancestorsAreReadOncePerResolver() throws IOException {
        nginxTree("0::/\n");
        ServiceResolver r = new ServiceResolver(proc);
        Service tree = r.resolve(101);
        deleteTree(proc.resolve("100")); // the master's facts were kept: worker 102 still finds it
        deleteTree(proc.resolve("101"));
        assertEquals(tree, r.resolve(102));
        assertEquals(tree, r.resolve(101));
        assertEquals(Service.processTree("nginx", 102), new ServiceResolver(proc).resolve(102), "a new resolver reads afresh");
    }

    @Test
    void aFifoInPlaceOfTheCgroupFileIsNotOpened() throws Exception {
        process(700, 1, "nginx", 5, nginx, null);
        Process mk = new ProcessBuilder("mkfifo", proc.resolve("700/cgroup").toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        Service s = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> new ServiceResolver(proc).resolve(700));
        assertEquals(Service.processTree("nginx", 700), s);
    }

    /** init (1) → nginx master (100) → workers 101, 102, all in the given cgroup. */
    private void nginxTree(String cgroup) throws IOException {
        process(1, 0, "init", 1, init, "0::/init.scope\n");
        process(100, 1, "nginx", 50, nginx, cgroup);
        process(101, 100, "nginx", 60, nginx, cgroup);
        process(102, 100, "nginx", 61, nginx, cgroup);
    }

    private void process(int pid, int ppid, String comm, long startTicks, Path exe, String cgroup) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        StringBuilder stat = new StringBuilder().append(pid).append(" (").append(comm).append(") S ").append(ppid);
        for (int field = 5; field <= 52; field++) stat.append(' ').append(field == 22 ? startTicks : 0);
        Files.writeString(dir.resolve("stat"), stat.append('\n'));
        if (exe != null) Files.createSymbolicLink(dir.resolve("exe"), exe);
        if (cgroup != null) Files.writeString(dir.resolve("cgroup"), cgroup);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
