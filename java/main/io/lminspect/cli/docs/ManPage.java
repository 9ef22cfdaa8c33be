package io.lminspect.cli.docs;

import io.lminspect.util.Plain;
import io.lminspect.finding.FindingCode;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One man page in roff, written from a command's picocli model: the same description,
 * options, exit codes and examples as --help, plus the finding codes and the environment.
 * (picocli-codegen's ManPageGenerator writes AsciiDoc, which would need asciidoctor to
 * become a man page: the model is walked here instead, with no tool beyond the JDK.)
 */
final class ManPage {
    /** Commands whose documents carry findings: their pages list the codes. */
    private static final List<String> WITH_FINDINGS = List.of("lminspect", "attach", "core", "check", "preflight", "layout");

    private final StringBuilder out = new StringBuilder();
    private final CommandSpec spec;
    private final String version;

    private ManPage(CommandSpec spec, String version) {
        this.spec = spec;
        this.version = version;
    }

    /** lminspect.1 for the top command, lminspect-NAME.1 for a subcommand. */
    static String fileName(CommandSpec spec) {
        return pageName(spec) + ".1";
    }

    static String pageName(CommandSpec spec) {
        return spec.parent() == null ? spec.name() : spec.parent().name() + "-" + spec.name();
    }

    static String render(CommandSpec spec, String version) {
        return new ManPage(spec, version).write();
    }

    private String write() {
        String page = pageName(spec);
        line(".TH " + page.toUpperCase().replace("-", "\\-") + " 1 \"\" \"" + version + "\" \"lminspect manual\"");
        line(".nh");  // no hyphenation: option and page names are copied from here
        line(".ad l");
        section("NAME");
        line(Roff.code(page) + " \\- " + Roff.text(summary(spec)));
        synopsis();
        section("DESCRIPTION");
        line(Roff.text(String.join(" ", spec.usageMessage().description())));
        commands();
        arguments();
        options();
        exitStatus();
        if (WITH_FINDINGS.contains(spec.name())) findings();
        if (spec.name().equals("check")) restartPlan();
        if (spec.parent() == null) environment();
        examples();
        seeAlso();
        return out.toString();
    }

    private void synopsis() {
        section("SYNOPSIS");
        CommandLine.Help help = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        String full = help.detailedSynopsis(0, null, true).strip().replaceAll("\\s+", " ");
        String name = spec.qualifiedName();
        String rest = full.startsWith(name) ? full.substring(name.length()).strip() : full;
        line(".B " + Roff.code(name));
        line(Roff.code(rest));
    }

    private void commands() {
        if (spec.subcommands().isEmpty()) return;
        section("COMMANDS");
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (!Manuals.documented(sub)) continue;
            line(".TP");
            line(Roff.bold(e.getKey()) + " (see " + Roff.bold(pageName(sub)) + "(1))");
            line(Roff.text(summary(sub)));
        }
    }

    private void arguments() {
        List<PositionalParamSpec> ps = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (ps.isEmpty()) return;
        section("ARGUMENTS");
        for (PositionalParamSpec p : ps) {
            line(".TP");
            line(Roff.italic(p.paramLabel()) + (p.arity().max() > 1 ? "..." : ""));
            line(Roff.text(description(p.description(), p.defaultValueString())));
        }
    }

    private void options() {
        List<OptionSpec> os = new ArrayList<>(spec.options().stream().filter(o -> !o.hidden()).toList());
        if (os.isEmpty()) return;
        os.sort(Comparator.comparing(o -> o.longestName().replaceFirst("^-+", "")));
        section("OPTIONS");
        for (OptionSpec o : os) {
            line(".TP");
            StringBuilder names = new StringBuilder();
            for (String n : o.names()) names.append(names.length() == 0 ? "" : ", ").append(Roff.bold(n));
            if (o.arity().max() > 0) names.append("=").append(Roff.italic(o.paramLabel()));
            line(names.toString());
            line(Roff.text(description(o.description(), o.defaultValueString())));
        }
    }

    private void exitStatus() {
        Map<String, String> codes = spec.usageMessage().exitCodeList();
        if (codes.isEmpty()) return;
        section("EXIT STATUS");
        line("The Nagios plugin convention, so deploy scripts and monitoring agree:");
        for (Map.Entry<String, String> e : codes.entrySet()) {
            line(".TP");
            line(".B " + Roff.text(e.getKey().strip()));
            line(Roff.text(e.getValue().strip()));
        }
    }

    private void findings() {
        section("FINDINGS");
        line("Stable codes; the worst finding's severity decides the exit code.");
        for (FindingCode c : FindingCode.values()) {
            if (!c.reportedBy(spec.name())) continue;
            line(".TP");
            line(Roff.bold(c.name()) + " [" + Roff.text(c.severityText) + "]");
            line(Roff.text(c.meaning));
        }
    }

    /** check's text ends with what to restart: what that line means. */
    private void restartPlan() {
        section("RESTART PLAN");
        line("After the findings, text output names what to restart, worst first, one name per");
        line("systemd unit, container or process tree (its oldest same-program ancestor), with how many");
        line("of its processes are affected:");
        line(".RS");
        line(".nf");
        line(Roff.text("Restart: nginx.service (3 processes), php8.2-fpm.service (3), docker 3f4e5a6b7c8d (1), app.jar tree 9010 (2)"));
        line(".fi");
        line(".RE");
        line("Only critical and warning causes put a service on it (info findings never do). Beyond a dozen");
        line("names the line ends with \\(lqand N more\\(rq; the JSON \\(lqrestart\\(rq array lists them all.");
    }

    private void environment() {
        section("ENVIRONMENT");
        env("NO_COLOR", "when set and not empty, --color=auto prints no colour (no-color.org)");
        env("LMINSPECT_TIMING", "1: print on stderr where an inspection's time goes, phase by phase");
        env("LMINSPECT_DEBUG", "1: add the stack trace to an \"internal error\" line");
        env("LMINSPECT_BUILD", "DIR: the launcher uses the jar built in DIR");
        env("LMINSPECT_NO_NATIVE", "1: run without the native helper (memory is read through /proc/PID/mem; --regs is refused)");
    }

    private void env(String name, String what) {
        line(".TP");
        line(Roff.bold(name));
        line(Roff.text(what));
    }

    private void examples() {
        String[] footer = spec.usageMessage().footer();
        if (footer.length == 0) return;
        section("EXAMPLES");
        line(".nf");
        line(".RS 4");
        for (String l : footer) line(Roff.text(String.format(Plain.LOCALE, l).strip()));
        line(".RE");
        line(".fi");
    }

    private void seeAlso() {
        section("SEE ALSO");
        List<String> refs = new ArrayList<>();
        CommandSpec root = spec.root();
        if (spec != root) refs.add(Roff.bold(pageName(root)) + "(1)");
        for (CommandLine sub : root.subcommands().values()) {
            CommandSpec s = sub.getCommandSpec();
            if (s != spec && Manuals.documented(s)) refs.add(Roff.bold(pageName(s)) + "(1)");
        }
        refs.add(Roff.bold("gdb") + "(1)");
        refs.add(Roff.bold("ld.so") + "(8)");
        line(String.join(",\n", refs));
    }

    /** The first description line, without its full stop: the NAME line and the command list. */
    static String summary(CommandSpec s) {
        // the first sentence, whole, however many description lines it takes
        String all = String.join(" ", s.usageMessage().description()).replaceAll("\\s+", " ").strip();
        int end = all.indexOf(". ");
        String first = end >= 0 ? all.substring(0, end + 1) : all;
        return first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
    }

    private static String description(String[] lines, String defaultValue) {
        String d = String.join(" ", lines).replaceAll("\\s+", " ").strip();
        return d.replace("${DEFAULT-VALUE}", defaultValue == null ? "" : defaultValue);
    }

    private void section(String name) {
        line(".SH " + name);
    }

    private void line(String s) {
        out.append(s).append('\n');
    }
}
