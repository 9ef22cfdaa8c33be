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
}
