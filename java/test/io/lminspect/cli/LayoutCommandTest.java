package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Env;
import io.lminspect.support.Cli;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** `layout`: the squeezed-heap incident's squeezed heap (tp_brk maps a page a few hundred KiB above brk), a normal process, bad input. */
class LayoutCommandTest {

    private static long hexLine(TestProcess p, String prefix) throws Exception {
        String l = p.awaitLine(prefix + " ", 5000);
        return Long.parseUnsignedLong(l.substring(prefix.length() + 1).trim().replace("0x", ""), 16);
    }

    private static void assertSqueezedHeap(TestProcess p, long gap) throws Exception {
        long brk = hexLine(p, "brk"), blocker = hexLine(p, "blocker");
        assertEquals(gap, blocker - brk);
        Cli.Result r = Cli.run("layout", Integer.toString(p.pid()), "--json");
        assertEquals(1, r.rc(), r.out() + r.err());
        Map<String, Object> doc = JsonDoc.parse(r.out());
        Map<String, Object> b = JsonDoc.obj(doc, "brk");
        assertEquals(gap, b.get("headroom"), b.toString());
        assertEquals("0x" + Long.toHexString(blocker), b.get("next_mapping"));
        assertEquals("0x" + Long.toHexString(brk), b.get("end"));
        List<Map<String, Object>> f = JsonDoc.list(doc, "findings");
        assertEquals(1, f.size());
        assertEquals("BRK_HEADROOM_LOW", f.get(0).get("code"));
        assertEquals("warning", f.get(0).get("severity"));
        Cli.Result text = Cli.run("layout", Integer.toString(p.pid()));
        assertEquals(1, text.rc());
        assertTrue(text.out().contains("room above brk: " + gap / 1024 + " KiB"), text.out());
        assertTrue(text.out().contains("\n  BRK_HEADROOM_LOW: brk can grow only from "), text.out());
    }

    @Test
    void squeezedHeapIsMeasuredToThePageAndWarned() throws Exception {
        try (TestProcess p = TestProcess.start(Build.testprog("tp_brk").toString(), "384")) {
            assertSqueezedHeap(p, 384 * 1024);
            Cli.Result r = Cli.run("layout", Integer.toString(p.pid()), "--json");
            Map<String, Object> doc = JsonDoc.parse(r.out());
            assertEquals("top-down", doc.get("layout"));
            assertEquals("ELF64", JsonDoc.obj(doc, "target").get("class"));
            // a lower limit than the room there is: no warning
            Cli.Result low = Cli.run("layout", Integer.toString(p.pid()), "--brk-min", "256K");
            assertEquals(0, low.rc(), low.out());
            assertFalse(low.out().contains("BRK_HEADROOM_LOW"));
        }
    }

    @Test
    void normalProcessHasNoWarning() throws Exception {
        try (TestProcess p = TestProcess.startPlain("sleep", "60")) {
            Cli.Result r = Cli.run("layout", Integer.toString(p.pid()), "--json");
            assertEquals(0, r.rc(), r.out() + r.err());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            assertTrue(JsonDoc.list(doc, "findings").isEmpty());
            assertEquals("top-down", doc.get("layout"));
            List<Map<String, Object>> segs = JsonDoc.list(doc, "segments");
            for (String kind : List.of("exe text", "library text", "stack", "vdso"))
                assertTrue(segs.stream().anyMatch(s -> kind.equals(s.get("kind"))), kind + " in " + segs);
            assertTrue((Long) JsonDoc.obj(doc, "stack").get("room_below") > 0);
        }
    }

    @Test
    void badInputIsExit3() {
        Cli.Result r = Cli.run("layout", "999999999");
        assertEquals(3, r.rc());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        Cli.Result s = Cli.run("layout", "1", "--brk-min", "lots");
        assertEquals(3, s.rc());
        assertTrue(s.err().contains("--brk-min"), s.err());
    }

    /** The squeezed-heap incident itself: a 32-bit process under setarch -L gets the legacy layout, libraries low, growing up. */
    @Test
    void legacyLayout32Bit() throws Exception {
        Env.assumeTool("setarch", "util-linux");
        Env.assumeI386();
        Path dir = Files.createTempDirectory("lmi-brk32");
        Path bin = dir.resolve("tp_brk32");
        try {
            Process cc = new ProcessBuilder("gcc", "-m32", "-O2", "-o", bin.toString(),
                    Build.root().resolve("testprogs/tp_brk.c").toString()).redirectErrorStream(true).start();
            String ccOut = new String(cc.getInputStream().readAllBytes());
            assertEquals(0, cc.waitFor(), "the i386 toolchain built tp_true32 but not tp_brk32: " + ccOut.strip());
            try (TestProcess p = TestProcess.start("setarch", "-L", bin.toString(), "256")) {
                Cli.Result r = Cli.run("layout", Integer.toString(p.pid()), "--json");
                Map<String, Object> doc = JsonDoc.parse(r.out());
                assertEquals("ELF32", JsonDoc.obj(doc, "target").get("class"));
                assertEquals("legacy", doc.get("layout"), r.out());
                assertEquals(true, doc.get("addr_compat_layout"));
                assertTrue(((String) doc.get("layout_reason")).contains("ADDR_COMPAT_LAYOUT"));
                assertSqueezedHeap(p, 256 * 1024);
            }
        } finally {
            Files.deleteIfExists(bin);
            Files.deleteIfExists(dir);
        }
    }
}
