package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Installer;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scan shares what it can among its processes (parsed files, the stat of a mapped inode,
 * the stat of a path for processes that see the host's root, batched link_map reads); none
 * of it may change a verdict. A few hundred real processes, some with a library overwritten
 * in place and some with it deleted: every process's findings and entries in `check` equal
 * what `attach` finds in it alone.
 */
class ScanEqualsAloneTest {

    @Test
    void everyProcessOfAScanIsJudgedAsAttachJudgesItAlone() throws Exception {
        Path dir = Files.createDirectories(Build.scratchOutsideTemp().resolve("scan-eq-" + ProcessHandle.current().pid()));
        List<TestProcess> procs = new ArrayList<>();
        try {
            Path healthy = Files.copy(Build.testprog("libv.so"), dir.resolve("libhealthy.so"));
            Path rewritten = Files.copy(Build.testprog("libv.so"), dir.resolve("librewritten.so"));
            Path deleted = Files.copy(Build.testprog("libv.so"), dir.resolve("libdeleted.so"));
            for (int i = 0; i < 200; i++) {
                Path lib = i % 8 == 0 ? rewritten : i % 8 == 1 ? deleted : healthy;
                procs.add(TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString()));
            }
            Installer.afterTheServiceHasRun();
            Installer.cpSameBytesOver(rewritten);
            Files.delete(deleted);

            List<String> args = new ArrayList<>(List.of("check", "--json"));
            for (TestProcess p : procs) args.add(Integer.toString(p.pid()));
            Cli.Result scan = Cli.run(args.toArray(new String[0]));
            assertEquals(2, scan.rc(), scan.err());
            Map<Long, String> inScan = new TreeMap<>();
            for (Map<String, Object> p : JsonDoc.list(JsonDoc.parse(scan.out()), "processes"))
                inScan.put((Long) JsonDoc.obj(p, "target").get("pid"), verdict(p));
            assertEquals(procs.size(), inScan.size(), "every process inspected: " + scan.err());

            Map<Long, String> alone = new TreeMap<>();
            for (TestProcess p : procs) alone.put((long) p.pid(), verdict(JsonDoc.parse(Cli.run("attach", "--json", Integer.toString(p.pid())).out())));
            assertEquals(alone, inScan);
            // and the faults were there to be found
            assertTrue(inScan.get((long) procs.get(0).pid()).contains("critical SONAME_UNMAPPED"), inScan.get((long) procs.get(0).pid()));
            assertTrue(inScan.get((long) procs.get(1).pid()).contains("FILE_DELETED"), inScan.get((long) procs.get(1).pid()));
            assertEquals("", inScan.get((long) procs.get(2).pid()).replaceAll("entries:.*", ""), "a healthy one has no finding");
        } finally {
            procs.forEach(TestProcess::close);
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Findings (severity, code, object, evidence) and the entries' names and statuses, in a comparable form. */
    private static String verdict(Map<String, Object> process) {
        TreeSet<String> findings = new TreeSet<>();
        for (Map<String, Object> f : JsonDoc.list(process, "findings"))
            findings.add(f.get("severity") + " " + f.get("code") + " " + f.get("object") + " " + f.get("evidence"));
        List<String> entries = new ArrayList<>();
        for (Map<String, Object> e : JsonDoc.list(process, "entries")) entries.add(e.get("name") + "=" + e.get("status"));
        return String.join("\n", findings) + "entries:" + entries;
    }
}
