package io.lminspect.report.text;

import io.lminspect.util.Plain;
import io.lminspect.finding.Finding;
import io.lminspect.finding.Severity;
import io.lminspect.host.PidRanges;
import io.lminspect.host.Service;
import io.lminspect.inferior.Mappings;
import io.lminspect.report.model.ExitCode;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.ScanReport;
import io.lminspect.report.model.TargetSummary;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * check for a person: the host's answer, bounded by the number of broken files, not of
 * processes — one block per file (its causes, the services whose processes hold it, one
 * consequence, one fix), then what to restart, then the summary. --verbose adds every
 * process with its own findings.
 */
public final class ScanText {
    /** Services named in one block, and in the restart line, before "and N more". */
    static final int SERVICES_SHOWN = 6, RESTART_SHOWN = 12;
    /** Pids listed per skip reason before "… (N in all)"; JSON lists every one. */
    static final int SKIPPED_PIDS_SHOWN = 8;

    private ScanText() {}

    static void write(PrintStream out, ScanReport s, boolean verbose, Palette palette) {
        if (verbose) perProcess(out, s, palette);
        Map<String, List<ScanReport.Group>> byFile = new LinkedHashMap<>();
        int infoGroups = 0;
        Set<Integer> infoPids = new TreeSet<>();
        for (ScanReport.Group g : s.groups()) {
            if (g.severity() == Severity.INFO && !verbose) {
                infoGroups++;
                infoPids.addAll(g.pids());
                continue;
            }
            byFile.computeIfAbsent(g.file() + "\\0" + g.dev() + "\\0" + g.inode(), k -> new ArrayList<>()).add(g);
        }
        // files with the same causes in the same processes (a package's libraries, updated together) share one block
        Map<String, List<List<ScanReport.Group>>> alike = new LinkedHashMap<>();
        for (List<ScanReport.Group> file : byFile.values()) {
            StringBuilder key = new StringBuilder();
            for (ScanReport.Group g : file) key.append(g.code()).append(g.severity()).append(g.pids()).append(';');
            alike.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(file);
        }
        for (List<List<ScanReport.Group>> files : alike.values()) {
            fileBlock(out, files, palette);
            out.println();
        }
        if (infoGroups > 0)
            out.printf(Plain.LOCALE, "info: %d more cause%s in %d process%s, nothing to restart for (--verbose lists them)%n%n", infoGroups,
                    infoGroups == 1 ? "" : "s", infoPids.size(), infoPids.size() == 1 ? "" : "es");
        if (!s.restart().isEmpty()) out.println(restartLine(s.restart()));
        // skipped processes by reason: a reason said once, with its pids (short-lived ones come and go in every scan)
        Map<String, List<Integer>> byReason = new LinkedHashMap<>();
        for (ScanReport.Skip k : s.skipped())
            if (!k.kernelThread()) byReason.computeIfAbsent(SafeText.clean(k.reason()), r -> new ArrayList<>()).add(k.pid());
        if (!byReason.isEmpty()) out.println("skipped:");
        for (Map.Entry<String, List<Integer>> e : byReason.entrySet()) {
            List<Integer> pids = e.getValue();
            String list = pids.stream().limit(SKIPPED_PIDS_SHOWN).map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                    + (pids.size() > SKIPPED_PIDS_SHOWN ? ", … (" + pids.size() + " in all)" : "");
            out.printf(Plain.LOCALE, "  %s: %s %s%n", e.getKey(), pids.size() == 1 ? "pid" : "pids", list);
        }
        out.println(palette.status(ExitCode.statusWord(s.exitCode())) + ": " + summaryLine(s));
    }

    /**
     * Files with the same causes in the same processes: worst cause first, the processes by
     * service, then one message (the first file's), consequence and fix.
     */
    private static void fileBlock(PrintStream out, List<List<ScanReport.Group>> files, Palette palette) {
        List<ScanReport.Group> causes = files.get(0);
        ScanReport.Group worst = causes.get(0);
        List<String> codes = new ArrayList<>();
        TreeSet<Integer> pids = new TreeSet<>();
        Map<Service, TreeSet<Integer>> byService = new LinkedHashMap<>();
        for (ScanReport.Group g : causes) {
            codes.add(g.code().name() + (g.severity() == worst.severity() ? "" : " (" + g.severity().json + ")"));
            pids.addAll(g.pids());
            g.pidsByService().forEach((svc, p) -> byService.computeIfAbsent(svc, x -> new TreeSet<>()).addAll(p));
        }
        List<String> names = new ArrayList<>();
        for (List<ScanReport.Group> f : files) {
            ScanReport.Group g = f.get(0);
            names.add(SafeText.clean(g.file()) + (g.dev() < 0 ? "" : " (dev " + Mappings.devString(g.dev()) + ", inode " + g.inode() + ")"));
        }
        out.printf(Plain.LOCALE, "%s %s: %s%n", palette.severity(worst.severity()), files.size() == 1 ? names.get(0) : files.size() + " files",
                String.join(", ", codes));
        if (files.size() > 1) for (String n : names) out.println("  " + n);
        List<String> who = new ArrayList<>();
        for (Map.Entry<Service, TreeSet<Integer>> e : byService.entrySet()) {
            if (who.size() == SERVICES_SHOWN) {
                who.add("and " + (byService.size() - SERVICES_SHOWN) + " more services");
                break;
            }
            who.add(servicePids(e.getKey(), new ArrayList<>(e.getValue())));
        }
        out.printf(Plain.LOCALE, "  %d process%s: %s%n", pids.size(), pids.size() == 1 ? "" : "es", String.join("; ", who));
        out.printf(Plain.LOCALE, "  exe: %s%n", SafeText.clean(String.join(", ", worst.exes().stream().limit(SERVICES_SHOWN).toList()))
                + (worst.exes().size() > SERVICES_SHOWN ? ", …" : ""));
        Finding f = worst.example();
        for (List<ScanReport.Group> file : files) out.println("  " + SafeText.clean(file.get(0).example().message()));
        for (List<ScanReport.Group> file : files) {
            String pkg = packageLine(file.get(0));
            if (pkg != null) out.println("  " + (files.size() > 1 ? SafeText.clean(file.get(0).file()) + ": " : "") + pkg);
        }
        if (f.consequence() != null) out.println("  => " + SafeText.clean(f.consequence()));
        if (f.remedy() != null) out.println("  fix: " + SafeText.clean(f.remedy()));
    }

    /**
     * "package libssl3 3.0.17-1~deb12u2, upgraded from 3.0.15-1~deb12u1 at 2026-12-03 07:20:11",
     * "no package owns it", or null when the question does not apply.
     */
    public static String packageLine(ScanReport.Group g) {
        if (!g.asksPackage() || g.owner() == null) return null;
        var p = g.owner().info();
        if (p == null) return "no package owns it (installed by hand or by a program: ask whoever put it there)";
        StringBuilder sb = new StringBuilder("package ").append(SafeText.clean(p.name()));
        if (p.version() != null) sb.append(' ').append(SafeText.clean(p.version()));
        if (p.changedAt() != null) {
            if (p.fromVersion() == null) sb.append(", installed at ").append(p.changedAt());
            else if (p.fromVersion().equals(p.toVersion())) sb.append(", reinstalled (").append(SafeText.clean(p.toVersion())).append(") at ").append(p.changedAt());
            else sb.append(", upgraded from ").append(SafeText.clean(p.fromVersion())).append(" to ").append(SafeText.clean(p.toVersion()))
                    .append(" at ").append(p.changedAt());
        } else {
            sb.append(" (dpkg's log no longer says when it changed)");
        }
        return sb.toString();
    }

    /** "Restart: nginx.service (3 processes), php8.2-fpm.service (3) …" */
    static String restartLine(List<ScanReport.Restart> restart) {
        StringBuilder sb = new StringBuilder("Restart: ");
        for (int i = 0; i < restart.size(); i++) {
            if (i == RESTART_SHOWN) {
                sb.append(", and ").append(restart.size() - RESTART_SHOWN).append(" more (--format json lists them)");
                break;
            }
            ScanReport.Restart r = restart.get(i);
            if (i > 0) sb.append(", ");
            sb.append(name(r.service())).append(" (").append(r.pids().size())
                    .append(i == 0 ? (r.pids().size() == 1 ? " process" : " processes") : "").append(')');
        }
        return sb.toString();
    }

    /** A service as an operator names it: the unit, "docker 3f4e5a6b7c8d", or "nginx tree 9010" (its oldest process). */
    public static String name(Service s) {
        return switch (s.kind()) {
            case SYSTEMD -> SafeText.clean(s.name());
            case CONTAINER -> (s.runtime() == null ? "container" : s.runtime()) + " " + SafeText.clean(s.name());
            case PROCESS_TREE -> s.treeRootPid() == null ? SafeText.clean(s.name())
                    : (s.name().startsWith("pid ") ? "process" : SafeText.clean(s.stableName())) + " tree " + s.treeRootPid();
        };
    }

    /** "nginx.service pids 9010-9012" */
    public static String servicePids(Service s, List<Integer> pids) {
        return name(s) + " pid" + (pids.size() == 1 ? " " : "s ") + PidRanges.format(pids);
    }

    private static void perProcess(PrintStream out, ScanReport s, Palette palette) {
        for (ProcessReport p : s.processes()) {
            TargetSummary t = p.target();
            Severity w = p.worst();
            out.printf(Plain.LOCALE, "== pid %d %s %s  user %d  started %s  service %s  [%s]%n", t.pid(), SafeText.clean(t.comm()),
                    SafeText.clean(t.exe()), t.uid(), t.startEpochMillis() > 0 ? Plain.utc(t.startEpochMillis()) : "?",
                    name(ScanReport.serviceOf(p)), w == null ? "OK" : w.name());
            for (List<Finding> block : TextRenderer.byObject(p.findings())) {
                TextRenderer.objectBlock(out, block, palette);
                out.println();
            }
        }
    }

    static String summaryLine(ScanReport s) {
        Map<Severity, Integer> w = s.processesByWorst();
        int n = s.processes().size();
        String line = String.format(Plain.LOCALE, "%d process%s inspected in %.2f s: %d critical, %d warning, %d info only, %d clean; %d skipped (%d kernel threads)",
                n, n == 1 ? "" : "es", s.seconds(), w.get(Severity.CRITICAL), w.get(Severity.WARNING), w.get(Severity.INFO), s.clean(),
                s.skipped().size(), s.kernelThreads());
        return s.unread() == 0 ? line : line + "; " + unreadLine(s);
    }

    /** How many processes the answer does not cover, and the first reason (run as root, usually). */
    public static String unreadLine(ScanReport s) {
        String why = s.skipped().stream().filter(ScanReport.Skip::unread).map(ScanReport.Skip::reason).findFirst().orElse("");
        return s.unread() + " process" + (s.unread() == 1 ? "" : "es") + " could not be read, so this answer does not cover them ("
                + SafeText.clean(why) + ")";
    }
}
