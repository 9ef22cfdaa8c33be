package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A process that damaged its own link_map: a finding in seconds, never a hang, never a raw control byte. */
class HostileChainTest {

    static boolean hasControlBytes(String s) {
        for (char c : s.toCharArray()) if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "wild", "longname", "prev"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed assertion
    void brokenChainIsReportedNotFollowed(String mode) throws Exception {
        try (TestProcess h = TestProcess.start(Build.testprog("tp_hostile").toString(), mode)) {
            Cli.Result text = Cli.run("attach", Integer.toString(h.pid()));
            assertEquals(2, text.rc(), text.out() + text.err());
            assertTrue(text.out().contains("LINK_CHAIN_BROKEN"), text.out());
            assertFalse(hasControlBytes(text.out()), "raw control byte in the text output");
            assertTrue(text.out().length() < 64 * 1024, "output is capped");

            Cli.Result json = Cli.run("attach", "--json", Integer.toString(h.pid()));
            assertEquals(2, json.rc());
            Map<String, Object> doc = JsonDoc.parse(json.out());
            List<Map<String, Object>> findings = JsonDoc.list(doc, "findings");
            assertTrue(findings.stream().anyMatch(f -> "LINK_CHAIN_BROKEN".equals(f.get("code"))));
            if (mode.equals("longname")) {
                for (Map<String, Object> e : JsonDoc.list(doc, "entries"))
                    assertTrue(((String) e.get("name")).length() <= 600, "name capped");
            }
        }
    }

    /** A DT_SONAME d_val with the top bit set is a value (unsigned), not "absent": critical, and the crash follows. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sonameOffsetWithTopBitSetIsJudgedUnsigned() throws Exception {
        try (TestProcess h = TestProcess.start(Build.testprog("tp_hostile").toString(), "sonametop")) {
            Cli.Result r = Cli.run("attach", Integer.toString(h.pid()));
            assertEquals(2, r.rc(), r.out());
            assertTrue(r.out().contains("SONAME_UNMAPPED: soname pointer 0x8000"), r.out());
            assertTrue(r.out().contains("DT_SONAME 0x8000000000"), r.out());
            h.signal("USR1");
            assertEquals(128 + 11, h.awaitExit(10_000), "the next dlopen crashes as predicted: " + h.lines());
        }
    }

    /** 15 extra namespaces of 4,096 entries with unterminated names: the budgets cut the walk, said as INSPECTION_CUT. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void hugeChainsAreCutAtTheBudget() throws Exception {
        try (TestProcess h = TestProcess.start(Build.testprog("tp_hostile").toString(), "huge")) {
            Cli.Result r = Cli.run("attach", "--json", Integer.toString(h.pid()));
            assertEquals(2, r.rc(), r.err());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            assertTrue(JsonDoc.list(doc, "findings").stream().anyMatch(f -> "INSPECTION_CUT".equals(f.get("code"))
                    && String.valueOf(f.get("message")).contains("budget")), "the cut is said");
            assertTrue(JsonDoc.list(doc, "entries").size() <= 4096, "entries within the budget");
            assertTrue(JsonDoc.list(doc, "findings").size() <= 40, "per-entry findings bounded: " + JsonDoc.list(doc, "findings").size());
            assertTrue(r.out().length() < 4 << 20, "output bounded: " + r.out().length());
        }
    }

    /** A /proc/PID/maps of ~260 MB (65,000 mappings under a 4,000-byte path): read to its budget, then INSPECTION_CUT. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void hugeMapsAreCutAtTheBudget() throws Exception {
        try (TestProcess h = TestProcess.start(Build.testprog("tp_hostile").toString(), "manymaps")) {
            Cli.Result r = Cli.run("attach", Integer.toString(h.pid()));
            assertEquals(1, r.rc(), r.out() + r.err());
            assertTrue(r.out().contains("INSPECTION_CUT: /proc/" + h.pid() + "/maps is longer than its budget"), r.out());
        }
    }

    /**
     * A page nobody serves (userfaultfd): the read never returns. attach reports the stuck read
     * within its deadline, and check --all goes on with every other process.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readThatNeverReturnsIsReportedNotWaitedFor() throws Exception {
        io.lminspect.support.Env.assumeRoot("userfaultfd needs root (or vm.unprivileged_userfaultfd)");
        try (TestProcess h = TestProcess.start(Build.testprog("tp_uffd").toString())) {
            List<String> env = List.of("env", "LMINSPECT_DEADLINE_MS=1500", Build.launcher().toString());
            List<String> attach = new java.util.ArrayList<>(env);
            attach.addAll(List.of("attach", Integer.toString(h.pid())));
            long t0 = System.nanoTime();
            Cli.Result r = Cli.exec(attach, 60);
            assertEquals(1, r.rc(), r.out() + r.err());
            assertTrue(r.out().contains("INSPECTION_CUT: the inspection did not finish within its deadline of 1500 ms: a read of"), r.out());
            assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "answered, not hung");

            List<String> check = new java.util.ArrayList<>(env);
            check.addAll(List.of("check", "--all", "--format", "json"));
            Cli.Result all = Cli.exec(check, 60);
            Map<String, Object> doc = JsonDoc.parse(all.out());
            boolean cutHere = false;
            int inspected = 0;
            for (Map<String, Object> p : JsonDoc.list(doc, "processes")) {
                inspected++;
                if (((Number) JsonDoc.obj(p, "target").get("pid")).intValue() == h.pid())
                    cutHere = JsonDoc.list(p, "findings").stream().anyMatch(f -> "INSPECTION_CUT".equals(f.get("code")));
            }
            assertTrue(cutHere, "the stuck process is reported as cut: " + all.out().length());
            assertTrue(inspected > 1, "and the scan went on with the others");
        }
    }
}
