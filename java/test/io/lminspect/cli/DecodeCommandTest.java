package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Env;
import io.lminspect.support.Cli;
import io.lminspect.support.JsonDoc;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** `decode`: the incidents' kernel lines (the overwritten library, the NULL call), other fault kinds, and a fresh crash read back from dmesg. */
class DecodeCommandTest {
    static final String PHP_FPM_IN_LD_SO = "php-fpm[22053]: segfault at 2559 ip 000000398a6145b2 sp 00007fffad1d4b78 error 4 in ld-2.5.so[398a600000+1c000]";
    static final String QEMU_NBD_SYSLOG = "kernel: qemu-nbd[13647]: segfault at 100 ip 0000561c8817d1c7 sp 00007fc8f1ce9c00 error 4 in qemu-nbd[561c88107000+155000]";
    static final String NEW_FORMAT = "main[2217]: segfault at 370 ip 00007f6723de3754 sp 00007fffb1979358 error 4 in "
            + "ld-linux-x86-64.so.2[23754,7f6723dc1000+26000] likely on CPU 1 (core 1, socket 0)";
    static final String NEW_CODE = "Code: 00 e9 4a ff ff ff 66 0f 6f 0c 0e ... <66> 0f 6f 17 66 0f 6f 0e ...";

    private static Map<String, Object> onlyEvent(Cli.Result r) {
        assertEquals(0, r.rc(), r.out() + r.err());
        List<Map<String, Object>> ev = JsonDoc.list(JsonDoc.parse(r.out()), "events");
        assertEquals(1, ev.size(), r.out());
        return ev.get(0);
    }

    @Test
    void oldKernelFormatInLdSo() {
        Map<String, Object> e = onlyEvent(Cli.run("decode", "--json", PHP_FPM_IN_LD_SO));
        assertEquals("segfault", e.get("kind"));
        assertEquals("php-fpm", e.get("comm"));
        assertEquals(22053L, e.get("pid"));
        assertEquals("0x2559", e.get("address"));
        assertEquals("0x398a6145b2", e.get("ip"));
        assertEquals("0x7fffad1d4b78", e.get("sp"));
        assertEquals(4L, e.get("error_code"));
        assertEquals("read", e.get("access"));
        assertEquals("user", e.get("mode"));
        assertEquals("not-present", e.get("page"));
        assertEquals("ld-2.5.so", e.get("module"));
        assertEquals("0x398a600000", e.get("vma_start"));
        assertEquals("0x1c000", e.get("vma_size"));
        assertEquals("0x145b2", e.get("module_offset"));
        assertTrue(((String) e.get("module_offset_from")).contains("assumes the VMA starts at file offset 0"), e.toString());
        assertNull(e.get("symbol"));
    }

    @Test
    void syslogPrefixedLine() {
        Map<String, Object> e = onlyEvent(Cli.run("decode", "--json", "Mar  5 03:12:44 nbdhost " + QEMU_NBD_SYSLOG));
        assertEquals("qemu-nbd", e.get("comm"));
        assertEquals(13647L, e.get("pid"));
        assertEquals("0x100", e.get("address"));
        assertEquals("qemu-nbd", e.get("module"));
        assertEquals("0x761c7", e.get("module_offset"));
        Cli.Result text = Cli.run("decode", QEMU_NBD_SYSLOG);
        assertTrue(text.out().contains("user-mode read of a page that is not mapped at 0x100"), text.out());
    }

    @Test
    void newFormatGivesFileOffsetAndCodeLine() {
        Map<String, Object> e = onlyEvent(Cli.run("decode", "--json", "[ 1027.134390] " + NEW_FORMAT, "[ 1027.134407] " + NEW_CODE));
        assertEquals("main", e.get("comm"));
        assertEquals(2217L, e.get("pid"));
        assertEquals("0x370", e.get("address"));
        assertEquals("ld-linux-x86-64.so.2", e.get("module"));
        assertEquals("0x7f6723dc1000", e.get("vma_start"));
        assertEquals("0x26000", e.get("vma_size"));
        assertEquals("0x23754", e.get("module_offset"));
        assertEquals("given by the kernel", e.get("module_offset_from"));
        assertTrue(((String) e.get("code_bytes")).contains("<66> 0f 6f 17"), e.toString());
    }

    @Test
    void trapsAndGeneralProtection() {
        Cli.Result r = Cli.run("decode", "--json",
                "[  12.5] traps: a.out[1234] general protection fault ip:401136 sp:7ffc5d3f8b70 error:0 in a.out[401000+1000]",
                "Jan 02 10:00:00 host kernel: traps: prog[4321] trap int3 ip:55d0c1a3e131 sp:7ffd1e0a3a30 error:0 in prog[55d0c1a3e000+1000]",
                "2024-01-02T10:00:00.123+00:00 host kernel: traps: x[99] trap invalid opcode ip:7f0000001234 sp:7ffe00000000 error:0 in libc.so.6[28000,7f0000000000+195000]");
        assertEquals(0, r.rc(), r.err());
        List<Map<String, Object>> ev = JsonDoc.list(JsonDoc.parse(r.out()), "events");
        assertEquals(3, ev.size(), r.out());
        assertEquals("general-protection", ev.get(0).get("kind"));
        assertEquals("0x136", ev.get(0).get("module_offset"));
        assertEquals("trap", ev.get(1).get("kind"));
        assertEquals("trap int3", ev.get(1).get("detail"));
        assertEquals("prog", ev.get(1).get("comm"));
        assertEquals("trap invalid opcode", ev.get(2).get("detail"));
        assertEquals("0x28000", ev.get(2).get("module_offset"));
        assertTrue(((String) ev.get(2).get("meaning")).contains("undefined instruction"));
    }

    @Test
    void badInputIsOneLineAndExit3() {
        Cli.Result r = Cli.run("decode", "--json", "not a kernel line", "neither\u001b[31m this");
        assertEquals(3, r.rc());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void mixedInputDecodesTheGoodLines() {
        Cli.Result r = Cli.run("decode", "--json", "garbage line", PHP_FPM_IN_LD_SO);
        Map<String, Object> e = onlyEvent(r);
        assertEquals("php-fpm", e.get("comm"));
        assertTrue(r.err().contains("skipped"), r.err());
        assertEquals(1L, JsonDoc.parse(r.out()).get("unparsed_lines"));
    }

    @Test
    void readsStdinWithDash() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream((PHP_FPM_IN_LD_SO + "\n" + QEMU_NBD_SYSLOG + "\n").getBytes(StandardCharsets.UTF_8)));
            Cli.Result r = Cli.run("decode", "--json", "-");
            assertEquals(0, r.rc(), r.err());
            assertEquals(2, JsonDoc.list(JsonDoc.parse(r.out()), "events").size());
        } finally {
            System.setIn(saved);
        }
    }

    /** Crashes tp_nullcall for real, reads its line back from dmesg, and names the function from the binary. */
    @Test
    void freshCrashNamesTheFunction() throws Exception {
        Path bin = Build.testprog("tp_nullcall");
        List<String> lines = crashAndReadDmesg(bin);
        Map<String, Object> e = onlyEvent(Cli.run(join("decode", "--json", "--binary", bin.toString(), lines)));
        assertEquals("segfault", e.get("kind"));
        assertEquals("0x100", e.get("address"));
        assertEquals("read", e.get("access"));
        assertEquals("flush_device", e.get("symbol"), e.toString());
        assertTrue(((String) e.get("file_bytes")).contains("<"), e.toString());
        if (e.get("code_matches_file") != null) assertEquals(true, e.get("code_matches_file"), e.toString());
        System.out.println("decode of a fresh crash: " + e.get("module") + " " + e.get("module_offset") + " -> "
                + e.get("symbol") + "+" + e.get("symbol_offset"));
    }

    /** A stripped binary plus its debug file found by build-id under --debug-dir. */
    @Test
    void strippedBinaryWithDebugDirByBuildId() throws Exception {
        Env.assumeTool("objcopy", "binutils");
        Path bin = Build.testprog("tp_nullcall");
        List<String> lines = crashAndReadDmesg(bin);
        Path dir = Files.createTempDirectory("lmi-debug");
        try {
            Path stripped = dir.resolve("tp_nullcall");
            Path debug = dir.resolve("tp_nullcall.debug");
            run("objcopy", "--only-keep-debug", bin.toString(), debug.toString());
            run("objcopy", "--strip-all", bin.toString(), stripped.toString());
            Map<String, Object> plain = onlyEvent(Cli.run(join("decode", "--json", "--binary", stripped.toString(), lines)));
            assertFalse("flush_device".equals(plain.get("symbol")), "the stripped binary alone cannot name a static function: " + plain);
            String id = (String) plain.get("build_id");
            Path target = dir.resolve("debug/.build-id").resolve(id.substring(0, 2)).resolve(id.substring(2) + ".debug");
            Files.createDirectories(target.getParent());
            Files.move(debug, target);
            Map<String, Object> e = onlyEvent(Cli.run(join("decode", "--json", "--binary", stripped.toString(), "--debug-dir",
                    dir.resolve("debug").toString(), lines)));
            assertEquals("flush_device", e.get("symbol"), e.toString());
            assertEquals(target.toString(), e.get("debug_file"));
        } finally {
            run("rm", "-rf", dir.toString());
        }
    }

    private static String[] join(String a, String b, String c, String d, List<String> lines) {
        return join(new String[]{a, b, c, d}, lines);
    }

    private static String[] join(String a, String b, String c, String d, String e, String f, List<String> lines) {
        return join(new String[]{a, b, c, d, e, f}, lines);
    }

    private static String[] join(String[] head, List<String> lines) {
        String[] all = new String[head.length + lines.size()];
        System.arraycopy(head, 0, all, 0, head.length);
        for (int i = 0; i < lines.size(); i++) all[head.length + i] = lines.get(i);
        return all;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd));
    }

    /** The segfault line (and its Code: line) of one run of the program; skipped when dmesg is not readable. */
    static List<String> crashAndReadDmesg(Path bin) throws Exception {
        Env.assumeKernelLog();
        Path cwd = Files.createTempDirectory("lmi-crash");
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                Process p = new ProcessBuilder(bin.toString()).directory(cwd.toFile()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                assertEquals(128 + 11, p.exitValue(), "tp_nullcall must die of SIGSEGV");
                int pid = Integer.parseInt(out.strip().substring("ready ".length()));
                for (int wait = 0; wait < 20; wait++) {
                    List<String> dmesg = Cli.exec(List.of("dmesg"), 30).outLines();
                    for (int i = 0; i < dmesg.size(); i++) {
                        if (!dmesg.get(i).contains("tp_nullcall[" + pid + "]: segfault")) continue;
                        boolean code = i + 1 < dmesg.size() && dmesg.get(i + 1).contains("Code: ");
                        return code ? List.of(dmesg.get(i), dmesg.get(i + 1)) : List.of(dmesg.get(i));
                    }
                    Thread.sleep(100);
                }
            }
            assumeTrue(false, "the kernel logged no segfault line for tp_nullcall (debug.exception-trace off or rate-limited): skipped");
            return List.of();
        } finally {
            try (var s = Files.list(cwd)) {
                for (Path f : (Iterable<Path>) s::iterator) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(cwd);
        }
    }
}
