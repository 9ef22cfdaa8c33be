package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Env;
import io.lminspect.support.Cli;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** docs/design.md, rule 1: the default attach never ptrace-stops the target (checked with strace on the real launcher). */
class NoStopTest {
    @Test
    void attachMakesNoPtraceCallAndFewReads() throws Exception {
        Env.assumeTool("strace", "strace");
        Env.assumePtraceOfNonDescendants(); // strace, and the launcher reading a process it did not start
        Path log = Files.createTempFile("lmi-strace", ".txt");
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            Cli.Result r = Cli.exec(List.of("strace", "-f", "-qq", "-e", "trace=ptrace,process_vm_readv", "-o", log.toString(),
                    Build.launcher().toString(), "attach", Integer.toString(v.pid())), 120);
            assertEquals(0, r.rc(), r.out() + r.err());
            List<String> lines = Files.readAllLines(log);
            long ptrace = lines.stream().filter(l -> l.contains("ptrace(")).count();
            long reads = lines.stream().filter(l -> l.contains("process_vm_readv(" + v.pid())).count();
            assertEquals(0, ptrace, "ptrace calls: " + lines);
            assertTrue(reads > 0, "memory was read with process_vm_readv");
            int entries = (int) r.outLines().stream().filter(l -> l.matches("\\s+0\\s+\\d+\\s+0x.*")).count();
            System.out.printf("attach: %d process_vm_readv calls for %d link_map entries (%.2f per entry)%n",
                    reads, entries, (double) reads / entries);
            // "few": at most 3 reads per entry (docs/benchmarks.md), plus a fixed few per process (r_debug, program headers)
            assertTrue(entries > 0 && reads <= 3L * entries + 4, reads + " reads for " + entries + " entries");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
