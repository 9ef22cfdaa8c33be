package io.lminspect.report;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Installer;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * check --format prometheus read by a real exposition-format parser: the Prometheus
 * Python client's (Debian's python3-prometheus-client), on real processes, one of them
 * with a quote and a backslash in its name (label escaping).
 */
class PrometheusFormatTest {
    /** Prints "name value" per sample with its labels, as the parser understood them. */
    private static final String PARSE = String.join("\n",
            "import sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "for family in text_string_to_metric_families(open(sys.argv[1], encoding='utf-8').read()):",
            "    assert family.type == 'gauge', family.name",
            "    for s in family.samples:",
            "        print(s.name, sorted(s.labels.items()), s.value)");

    @TempDir
    Path dir;

    /** Debian's python3 with the client; a python3 earlier on PATH (pyenv) may lack it. */
    private static String python() throws Exception {
        for (String p : List.of("/usr/bin/python3", "python3"))
            if (Cli.exec(List.of(p, "-c", "import prometheus_client"), 30).rc() == 0) return p;
        assumeTrue(false, "SKIPPED: the Prometheus client library is not installed: apt-get install python3-prometheus-client (scripts/setup does)");
        return null;
    }

    @Test
    void exposition() throws Exception {
        String python = python();
        Path odd = dir.resolve("tp\"q\\x");
        Files.copy(Build.testprog("tp_victim"), odd);
        Path lib = dir.resolve("libv.so.2");
        Files.copy(Build.testprog("libv.so"), lib);
        try (TestProcess quoted = TestProcess.start(odd.toString(), lib.toString());
             TestProcess healthy = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            Installer.cpOver(Build.testprog("libv_big.so"), lib);
            Path prom = dir.resolve("lminspect.prom");
            Cli.Result r = Cli.run("check", "--format", "prometheus", "--output", prom.toString(),
                    Integer.toString(quoted.pid()), Integer.toString(healthy.pid()));
            assertEquals(2, r.rc(), r.err());
            Cli.Result parsed = Cli.exec(List.of(python, "-c", PARSE, prom.toString()), 60);
            assertEquals(0, parsed.rc(), "the parser refused the file:\n" + parsed.err() + "\n" + Files.readString(prom));
            String out = parsed.out();
            assertTrue(out.contains("lminspect_findings [('code', 'SONAME_UNMAPPED')] 1.0"), out);
            assertTrue(out.contains("lminspect_processes_scanned [] 2.0"), out);
            assertTrue(out.contains("('service', 'tp\"q\\\\x')"), "the service label read back exactly: " + out);
            assertTrue(out.contains("lminspect_restart_needed"), out);
        }
    }
}
