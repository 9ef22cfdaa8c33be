package io.lminspect.decode;

import io.lminspect.util.SafeText;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the kernel's one-line fault reports (x86 show_signal_msg, do_trap,
 * do_general_protection, print_vma_addr) as printed by dmesg, journalctl -k or
 * syslog. Lines it does not understand are counted, never fatal.
 */
public final class KernelLineParser {
    /** Longest line considered: kernel lines are short; anything longer is not one. */
    private static final int MAX_LINE = 4096;

    private static final String COMM = "(?<comm>.{1,64}?)\\[(?<pid>\\d{1,10})\\]";
    private static final String HEX = "(?:0x)?\\p{XDigit}{1,16}";
    /** print_vma_addr: "in NAME[START+SIZE]", since Linux 6.2 "in NAME[FILEOFF,START+SIZE]". */
    private static final String VMA = "(?: in (?<module>.{1,255}?)\\[(?:(?<off>\\p{XDigit}{1,16}),)?(?<start>\\p{XDigit}{1,16})\\+(?<size>\\p{XDigit}{1,16})\\])?";

    private static final Pattern SEGFAULT = Pattern.compile("^" + COMM + ":? segfault at (?<addr>" + HEX + ") r?ip (?<ip>" + HEX
            + ") r?sp (?<sp>" + HEX + ") error (?<err>\\p{XDigit}{1,8})" + VMA + ".*$");
    /** traps: comm[pid] general protection fault ip:… sp:… error:… (also "trap int3", "trap invalid opcode", …). */
    private static final Pattern TRAP = Pattern.compile("^(?:traps: )?" + COMM + ":? (?<what>general protection fault|trap [a-z0-9 ]{1,40}?|bus error)"
            + "(?: at (?<addr>" + HEX + "))? ip:? ?(?<ip>" + HEX + ") sp:? ?(?<sp>" + HEX + ") error:? ?(?<err>\\p{XDigit}{1,8})" + VMA + ".*$");
    /** Daemons' own reports of a bus error (the truncated-mmap incident's httpd: "child pid 20605 exit signal Bus error (7)"). */
    private static final Pattern CHILD_BUS = Pattern.compile("child pid (?<pid>\\d{1,10}) exit signal Bus error \\(7\\)");
    private static final Pattern CODE = Pattern.compile("^Code: (?<bytes>[0-9a-fA-F<>(). ]{2,400})\\s*$");
    private static final Pattern DMESG_TIME = Pattern.compile("^\\[\\s*(?<t>\\d{1,10}\\.\\d{1,9})\\]\\s?");
    private static final Pattern DMESG_CLOCK = Pattern.compile("^\\[[A-Z][a-z]{2} [^\\]]{10,30}\\]\\s?");

    /** What a run of lines gave: the events, and the lines that held none. */
    public record Result(List<KernelEvent> events, List<String> unparsed) {}

    private KernelLineParser() {}

    public static Result parse(List<String> lines) {
        List<KernelEvent> events = new ArrayList<>();
        List<String> unparsed = new ArrayList<>();
        KernelEvent last = null;
        int n = 0;
        for (String raw : lines) {
            n++;
            if (raw.isBlank()) continue;
            Line l = strip(raw);
            Matcher code = CODE.matcher(l.body);
            if (code.matches()) {
                // the Code: line belongs to the report just before it
                if (last != null && last.codeBytes() == null) {
                    last = last.withCode(code.group("bytes").trim());
                    events.set(events.size() - 1, last);
                }
                continue;
            }
            KernelEvent e = l.body.length() > MAX_LINE ? null : parseBody(n, l);
            if (e == null) {
                unparsed.add(SafeText.clean(raw.length() > 200 ? raw.substring(0, 200) + "…" : raw));
                last = null;
                continue;
            }
            events.add(e);
            last = e;
        }
        return new Result(events, unparsed);
    }

    private record Line(Double uptime, String body) {}

    /** Drops dmesg's "[  955.04]", syslog/journal "Mar  5 10:00:00 host kernel: " and similar prefixes. */
    static Line strip(String raw) {
        String s = raw.strip();
        Double t = null;
        for (int pass = 0; pass < 2; pass++) {
            Matcher m = DMESG_TIME.matcher(s);
            if (m.find()) {
                t = Double.parseDouble(m.group("t"));
                s = s.substring(m.end());
            } else {
                Matcher c = DMESG_CLOCK.matcher(s);
                if (c.find()) s = s.substring(c.end());
            }
            int k = s.indexOf("kernel: ");
            if (k >= 0 && pass == 0) s = s.substring(k + "kernel: ".length());
        }
        return new Line(t, s);
    }

    private static KernelEvent parseBody(int n, Line l) {
        Matcher m = SEGFAULT.matcher(l.body);
        if (m.matches())
            return event(n, l, m, KernelEvent.SEGFAULT, "segfault", hex(m.group("addr")));
        m = TRAP.matcher(l.body);
        if (m.matches()) {
            String what = m.group("what");
            String kind = what.startsWith("general") ? KernelEvent.GENERAL_PROTECTION
                    : what.startsWith("bus") ? KernelEvent.BUS_ERROR : KernelEvent.TRAP;
            return event(n, l, m, kind, what, m.group("addr") == null ? null : hex(m.group("addr")));
        }
        m = CHILD_BUS.matcher(l.body);
        if (m.find())
            return new KernelEvent(n, KernelEvent.BUS_ERROR, "child exited on SIGBUS", null, Integer.parseInt(m.group("pid")),
                    l.uptime, null, null, null, null, null, null, null, null, null);
        return null;
    }

    private static KernelEvent event(int n, Line l, Matcher m, String kind, String detail, Long addr) {
        String module = m.group("module");
        return new KernelEvent(n, kind, detail, SafeText.clean(m.group("comm")), Integer.parseInt(m.group("pid")), l.uptime, addr,
                hex(m.group("ip")), hex(m.group("sp")), Long.parseUnsignedLong(m.group("err"), 16),
                module == null ? null : SafeText.clean(module), hexOrNull(m.group("start")), hexOrNull(m.group("size")),
                hexOrNull(m.group("off")), null);
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s.startsWith("0x") ? s.substring(2) : s, 16);
    }

    private static Long hexOrNull(String s) {
        return s == null ? null : hex(s);
    }
}
