package io.lminspect.report;

import io.lminspect.check.EntryStatus;
import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.host.Service;
import io.lminspect.linker.RDebug;
import io.lminspect.report.model.EntryView;
import io.lminspect.report.model.ExitCode;
import io.lminspect.report.model.LinkerSummary;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.ScanReport;
import io.lminspect.report.model.TargetSummary;
import io.lminspect.support.JsonDoc;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The renderers over hand-built documents: no process, no target, only the model. */
class RenderersTest {
    static final String EVIL = "/tmp/lib\u001b[31mred\nnext.so";

    static ProcessReport process(Finding... findings) {
        TargetSummary t = new TargetSummary(4242, 4242, "/usr/sbin/php-fpm", "php-fpm", 33, 1_700_000_000_000L, "ELF64", "x86_64", "glibc");
        LinkerSummary l = new LinkerSummary(true, 0x7f0000001000L, "DT_DEBUG", null,
                List.of(new RDebug(0x7f0000001000L, 1, 0x7f0000002000L, 0, RDebug.RT_CONSISTENT, 0, 0, 0)), 2);
        List<EntryView> entries = List.of(
                new EntryView(0, 0, 0x7f0000002000L, 0x555555554000L, "/usr/sbin/php-fpm", null, null, 0x555555557000L,
                        "/usr/sbin/php-fpm", EntryStatus.OK, false, null),
                new EntryView(0, 1, 0x7f0000003000L, 0x7f1000000000L, EVIL, null, 0x2559L, 0x7f1000003000L, EVIL,
                        EntryStatus.CORRUPT, true, null));
        return new ProcessReport(t, Service.systemdUnit("php8.2-fpm.service"), l, entries, List.of(findings), List.of("a note"),
                List.of(new ProcessReport.MappedFile(EVIL, 0x801, 1234)), 7, null, null);
    }

    static Finding soname() {
        return Finding.of(Severity.CRITICAL, FindingCode.SONAME_UNMAPPED).object(EVIL).mappingPath(EVIL).entry(0, 1)
                .address(0x2559).message("soname pointer 0x2559 lies outside every mapping")
                .evidence("l_info[DT_STRTAB] 0x1898").consequence("the next dlopen() crashes").remedy("restart it").build();
    }

    static Finding replaced() {
        return Finding.of(Severity.WARNING, FindingCode.FILE_REPLACED).object("/lib/libssl.so.3").message("replaced").build();
    }

    static String render(Renderer r, Object report) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        r.render((io.lminspect.report.model.Report) report, new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exitCodesComeFromTheWorstFinding() {
        assertEquals(ExitCode.OK, process().exitCode());
        assertEquals(ExitCode.OK, process(Finding.of(Severity.INFO, FindingCode.FILE_DELETED).build()).exitCode());
        assertEquals(ExitCode.WARNING, process(replaced()).exitCode());
        assertEquals(ExitCode.CRITICAL, process(replaced(), soname()).exitCode());
        ScanReport scan = ScanReport.of(List.of(process(), process(replaced())), List.of(), 0.5, 0);
        assertEquals(ExitCode.WARNING, scan.exitCode());
    }

    @Test
    void textEscapesWhatTheTargetControls() {
        String out = render(Format.text.renderer(false), process(soname()));
        assertTrue(out.startsWith("process 4242 (php-fpm) /usr/sbin/php-fpm  ELF64 x86_64 glibc"), out);
        assertTrue(out.contains("CRITICAL /tmp/lib\\x1b[31mred\\x0anext.so (entry 1)\n  SONAME_UNMAPPED: soname pointer 0x2559"), out);
        assertTrue(out.contains(", service php8.2-fpm.service\n"), out);
        assertFalse(out.contains("\u001b"), "no raw escape reaches the terminal");
        assertTrue(out.contains("  => the next dlopen() crashes\n  fix: restart it"), out);
        assertTrue(out.contains("note: a note"), out);
    }

    @Test
    void jsonCarriesTheContractFields() {
        Map<String, Object> doc = JsonDoc.parse(render(Format.json.renderer(false), process(soname())));
        assertEquals(4242L, JsonDoc.obj(doc, "target").get("pid"));
        assertEquals("glibc", JsonDoc.obj(doc, "target").get("libc"));
        assertEquals("0x7f0000001000", JsonDoc.obj(doc, "r_debug").get("address"));
        Map<String, Object> bad = JsonDoc.list(doc, "entries").get(1);
        assertEquals("corrupt", bad.get("status"));
        assertNull(bad.get("soname"));
        assertEquals("0x2559", bad.get("soname_ptr"));
        Map<String, Object> f = JsonDoc.list(doc, "findings").get(0);
        assertEquals("critical", f.get("severity"));
        assertEquals("SONAME_UNMAPPED", f.get("code"));
        assertFalse(((String) f.get("object")).contains("\u001b"));
        assertEquals(2L, doc.get("exit_code"));
    }

    @Test
    void nagiosAndPrometheusOnlyForScans() {
        ScanReport scan = ScanReport.of(List.of(process(soname()), process()), List.of(new ScanReport.Skip(1, "exited", false, false)), 0.25, 1000);
        String nagios = render(Format.nagios.renderer(false), scan);
        assertTrue(nagios.startsWith("LMINSPECT CRITICAL - 1 process critical, 0 warning; restart php8.2-fpm.service (SONAME_UNMAPPED"), nagios);
        assertTrue(nagios.contains("| processes=2 skipped=1 critical=1 warning=0 clean=1"), nagios);
        String prom = render(Format.prometheus.renderer(false), scan);
        assertTrue(prom.contains("lminspect_findings{code=\"SONAME_UNMAPPED\"} 1\n"), prom);
        assertTrue(prom.contains("lminspect_findings{code=\"FILE_REPLACED\"} 0\n"), "explicit zeros: " + prom);
        assertTrue(prom.contains("lminspect_processes{worst=\"ok\"} 1\n"), prom);
        assertTrue(prom.contains("lminspect_restart_needed{service=\"php8.2-fpm.service\",kind=\"systemd\",severity=\"critical\"} 1\n"), prom);
        // bounded labels only: by service and code, never a pid (a new series for every process)
        assertTrue(prom.contains("lminspect_service_findings{service=\"php8.2-fpm.service\",kind=\"systemd\",code=\"SONAME_UNMAPPED\"} 1\n"), prom);
        assertTrue(!prom.contains("pid="), prom);
        assertThrows(IllegalArgumentException.class, () -> render(Format.nagios.renderer(false), process()));
    }

    @Test
    void scanTextIsOneBlockPerFileAndARestartLine() {
        ScanReport scan = ScanReport.of(List.of(process(replaced()), process()), List.of(), 1.0, 0);
        String quiet = render(Format.text.renderer(false), scan), verbose = render(Format.text.renderer(true), scan);
        assertEquals(0, quiet.split("== pid ", -1).length - 1, "per-process detail only with --verbose: " + quiet);
        assertEquals(2, verbose.split("== pid ", -1).length - 1, verbose);
        assertTrue(quiet.startsWith("WARNING /lib/libssl.so.3: FILE_REPLACED\n  1 process: php8.2-fpm.service pid 4242\n"), quiet);
        assertTrue(quiet.contains("Restart: php8.2-fpm.service (1 process)\n"), quiet);
        assertTrue(quiet.strip().endsWith("2 processes inspected in 1.00 s: 0 critical, 1 warning, 0 info only, 1 clean; 0 skipped (0 kernel threads)"), quiet);
        assertTrue(quiet.contains("WARNING: 2 processes"), quiet);
    }
}
