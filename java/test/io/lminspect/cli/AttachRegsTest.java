package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Env;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** attach --regs on a 20-thread process: every thread read, the stop measured, the target left running (even when lminspect is killed). */
class AttachRegsTest {

    private static Set<Integer> threads(int pid) throws Exception {
        Set<Integer> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc", Integer.toString(pid), "task"))) {
            s.forEach(p -> out.add(Integer.parseInt(p.getFileName().toString())));
        }
        return out;
    }

    /** No thread is in a stopped or traced-stop state, and none has a tracer. */
    private static void assertRunning(int pid) throws Exception {
        for (int tid : threads(pid)) {
            Path task = Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid));
            String stat = Files.readString(task.resolve("stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            assertTrue(state != 't' && state != 'T', "thread " + tid + " left stopped: " + stat);
            String tracer = Files.readAllLines(task.resolve("status")).stream().filter(l -> l.startsWith("TracerPid:")).findFirst().orElse("");
            assertEquals("TracerPid:\t0", tracer, "thread " + tid + " still traced");
        }
    }

    /** The target still runs its own code: it answers SIGUSR1 with "pong N". */
    private static void assertResponds(TestProcess p, int n) throws Exception {
        p.signal("USR1");
        assertNotNull(p.awaitLine("pong " + n, 5000), "the target did not answer SIGUSR1: " + p.lines());
    }

    /**
     * The target runs as a grandchild: were it a child of this JVM, the JVM's process
     * reaper (a waitpid in the same thread group as the tracer) would swallow its ptrace
     * stops. Real targets are never lminspect's children.
     */
    private static TestProcess startThreads() throws Exception {
        return TestProcess.start("sh", "-c", "'" + Build.testprog("tp_threads") + "' & wait");
    }

    /** Kills the grandchild too (closing the TestProcess only ends the shell). */
    private record Threads(TestProcess p) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            p.signal("KILL");
            p.close();
        }
    }

    @Test
    void everyThreadIsReadAndReleased() throws Exception {
        Env.assumePtraceOfNonDescendants(); // the tracer is a forked child, not the target's parent
        try (Threads running = new Threads(startThreads())) {
            TestProcess p = running.p();
            Set<Integer> tids = threads(p.pid());
            assertEquals(20, tids.size());
            List<Double> pauses = new ArrayList<>();
            for (int run = 0; run < 5; run++) {
                Cli.Result r = Cli.run("attach", Integer.toString(p.pid()), "--regs", "--json");
                assertEquals(0, r.rc(), r.out() + r.err());
                Map<String, Object> doc = JsonDoc.parse(r.out());
                List<Map<String, Object>> th = JsonDoc.list(doc, "threads");
                Set<Integer> seen = new TreeSet<>();
                for (Map<String, Object> t : th) {
                    seen.add(((Long) t.get("tid")).intValue());
                    Map<String, Object> regs = JsonDoc.obj(t, "registers");
                    assertEquals(t.get("pc"), regs.get("rip"));
                    assertEquals(t.get("sp"), regs.get("rsp"));
                    assertNotNull(t.get("pc_object"), t.toString());
                }
                assertEquals(tids, seen, "every thread reported");
                assertTrue(doc.get("pause_ms") instanceof Double, "pause_ms reported: " + doc.get("pause_ms"));
                pauses.add((Double) doc.get("pause_ms"));
                assertRunning(p.pid());
            }
            assertResponds(p, 1);
            Collections.sort(pauses);
            System.out.println("attach --regs on 20 threads: pause_ms " + pauses + ", median " + pauses.get(pauses.size() / 2));
            Cli.Result text = Cli.run("attach", Integer.toString(p.pid()), "--regs");
            assertEquals(0, text.rc(), text.err());
            assertTrue(text.out().contains("threads: 20, stopped for"), text.out());
            assertTrue(text.out().contains("libc.so.6"), text.out());
            assertRunning(p.pid());
        }
    }

    /** docs/design.md, rule 1: kill -9 lminspect at random moments of --regs; the target must run on every time. */
    @Test
    void killedMidSnapshotLeavesTargetRunning() throws Exception {
        Env.assumePtraceOfNonDescendants();
        Random rnd = new Random(6);
        try (Threads running = new Threads(startThreads())) {
            TestProcess p = running.p();
            for (int i = 0; i < 25; i++) {
                Process l = new ProcessBuilder(Build.launcher().toString(), "attach", Integer.toString(p.pid()), "--regs")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                Thread.sleep(100 + rnd.nextInt(700));
                new ProcessBuilder("kill", "-9", Long.toString(l.pid())).start().waitFor();
                assertTrue(l.waitFor(10, TimeUnit.SECONDS), "launcher did not die");
                Thread.sleep(20);
                assertRunning(p.pid());
            }
            assertResponds(p, 1);
        }
    }

    @Test
    void noSuchProcessIsExit3() {
        Cli.Result r = Cli.run("attach", "999999999", "--regs");
        assertEquals(3, r.rc());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
    }
}
