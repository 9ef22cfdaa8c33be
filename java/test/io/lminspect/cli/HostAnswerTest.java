package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestCgroups;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * check's host answer after a library is `cp`-ed over under several services: one group
 * per cause and file, a restart list per unit / container / process tree, and text whose
 * length follows the causes, not the processes.
 */
class HostAnswerTest {

    private static List<TestProcess> victims(Path lib, int n) throws Exception {
        List<TestProcess> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString()));
        return out;
    }

    private static String[] args(String format, List<TestProcess> ps) {
        List<String> a = new ArrayList<>(List.of("check", "--format", format));
        for (TestProcess p : ps) a.add(Integer.toString(p.pid()));
        return a.toArray(String[]::new);
    }

    private static Set<Long> pids(List<TestProcess> ps) {
        Set<Long> out = new TreeSet<>();
        for (TestProcess p : ps) out.add((long) p.pid());
        return out;
    }

    @Test
    void groupsAndRestartPlanNameTheServices() throws Exception {
        String tag = "lmi-" + UUID.randomUUID().toString().substring(0, 8);
        String docker = "a".repeat(56) + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Path dir = Files.createDirectories(Build.scratchOutsideTemp().resolve(tag));
        Path lib = dir.resolve("libzk.so.2");
        Files.copy(Build.testprog("libv.so"), lib);
        List<TestProcess> web = victims(lib, 3), app = victims(lib, 2), box = victims(lib, 1), loose = victims(lib, 1);
        List<TestProcess> all = new ArrayList<>();
        for (List<TestProcess> l : List.of(web, app, box, loose)) all.addAll(l);
        try (TestCgroups cg = new TestCgroups()) {
            for (TestProcess p : web) cg.place(p.pid(), "system.slice/" + tag + "-web.service");
            for (TestProcess p : app) cg.place(p.pid(), "system.slice/" + tag + "-app.service");
            for (TestProcess p : box) cg.place(p.pid(), "system.slice/docker-" + docker + ".scope");
            Installer.afterTheServiceHasRun();
            Installer.cpSameBytesOver(lib);

            Cli.Result r = Cli.run(args("json", all));
            assertEquals(2, r.rc(), r.err());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            List<Map<String, Object>> groups = JsonDoc.list(doc, "groups");
            Set<String> codes = new TreeSet<>();
            for (Map<String, Object> g : groups) {
                codes.add((String) g.get("code"));
                assertEquals(lib.toString(), g.get("file"));
                assertEquals(Files.getAttribute(lib, "unix:ino"), g.get("inode"));
                assertEquals(pids(all), new TreeSet<>(JsonDoc.longs(g, "pids")), g.toString());
            }
            assertEquals(Set.of("SONAME_UNMAPPED", "DYNAMIC_UNRELOCATED", "RELOCATIONS_REVERTED", "FILE_REWRITTEN_IN_PLACE"), codes);
            assertEquals("SONAME_UNMAPPED", groups.get(0).get("code"), "the most telling cause first");

            List<Map<String, Object>> restart = JsonDoc.list(doc, "restart");
            assertEquals(4, restart.size(), restart.toString());
            assertEquals(tag + "-web.service", restart.get(0).get("service"), "the widest first");
            assertEquals("systemd", restart.get(0).get("kind"));
            assertEquals(pids(web), new TreeSet<>(JsonDoc.longs(restart.get(0), "pids")));
            assertEquals(tag + "-app.service", restart.get(1).get("service"));
            Map<String, Object> container = restart.stream().filter(x -> "container".equals(x.get("kind"))).findFirst().orElseThrow();
            assertEquals(docker, container.get("container_id"));
            assertEquals(pids(box), new TreeSet<>(JsonDoc.longs(container, "pids")));
            Map<String, Object> tree = restart.stream().filter(x -> "process-tree".equals(x.get("kind"))).findFirst().orElseThrow();
            assertEquals(pids(loose), new TreeSet<>(JsonDoc.longs(tree, "pids")));
            for (Map<String, Object> x : restart) assertEquals(List.of(lib.toString()), x.get("files"));
            Map<String, Object> svc = JsonDoc.obj(JsonDoc.list(doc, "processes").get(0), "service");
            assertTrue(svc.containsKey("name") && svc.containsKey("kind") && svc.containsKey("container_id") && svc.containsKey("runtime"), svc.toString());

            String text = Cli.run(args("text", all)).out();
            assertTrue(text.contains("Restart: " + tag + "-web.service (3 processes), " + tag + "-app.service (2), docker "
                    + docker.substring(0, 12) + " (1), tp_victim tree "), text);
            assertTrue(text.contains("  7 processes: " + tag + "-web.service pids "), text);
            String nagios = Cli.run(args("nagios", all)).out();
            assertTrue(nagios.startsWith("LMINSPECT CRITICAL - 7 processes critical, 0 warning; restart " + tag + "-web.service, "), nagios);
            String prom = Cli.run(args("prometheus", all)).out();
            assertTrue(prom.contains("lminspect_restart_needed{service=\"" + tag + "-web.service\",kind=\"systemd\",severity=\"critical\"} 1"), prom);
            assertTrue(prom.contains("lminspect_restart_needed{service=\"tp_victim\",kind=\"process-tree\",severity=\"critical\"} 1"),
                    "no pid in a label: " + prom);
        } finally {
            for (TestProcess p : all) p.close();
        }
    }

    /** The same causes in 10 or in 100 processes: the same blocks, the same number of lines. */
    @Test
    void textGrowsWithCausesNotProcesses() throws Exception {
        Path dir = Files.createDirectories(Build.scratchOutsideTemp().resolve("lmi-bound-" + UUID.randomUUID().toString().substring(0, 8)));
        int[] lines = new int[2];
        int[] sizes = {10, 100};
        for (int k = 0; k < 2; k++) {
            Path lib = dir.resolve("libzk" + k + ".so.2");
            Files.copy(Build.testprog("libv.so"), lib);
            List<TestProcess> ps = victims(lib, sizes[k]);
            try {
                Installer.afterTheServiceHasRun();
                Installer.cpSameBytesOver(lib);
                Cli.Result r = Cli.run(args("text", ps));
                assertEquals(2, r.rc(), r.err());
                assertTrue(r.out().contains("  " + sizes[k] + " processes: "), r.out());
                lines[k] = r.out().split("\n").length;
            } finally {
                for (TestProcess p : ps) p.close();
            }
        }
        assertEquals(lines[0], lines[1], "10 and 100 processes with one cause print as many lines");
    }
}
