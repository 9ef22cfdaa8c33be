package io.lminspect.cli;

import io.lminspect.report.model.ExitCode;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;
import io.lminspect.util.Timing;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;

@Command(name = "lminspect", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Inspect a process (or core) the way the dynamic linker sees it.",
        exitCodeListHeading = HelpText.EXIT_HEADING,
        exitCodeList = {HelpText.EXIT_OK, HelpText.EXIT_WARNING, HelpText.EXIT_CRITICAL, HelpText.EXIT_CANNOT},
        footerHeading = HelpText.EXAMPLE_HEADING,
        footer = {"  lminspect attach 1234", "  lminspect check --all", "  lminspect help check     # or: man lminspect-check"})
public final class Main {

    /**
     * The one list of commands: name, whether it reads processes or cores through the native
     * helper (loaded in the background as soon as the name is seen), and how it is made. An enum
     * with a body per constant, not a list of lambdas: each lambda would be linked at start-up.
     */
    enum Cmd {
        ATTACH("attach", true) { Object make(Streams io) { return new AttachCommand(io); } },
        CORE("core", true) { Object make(Streams io) { return new CoreCommand(io); } },
        CHECK("check", true) { Object make(Streams io) { return new CheckCommand(io); } },
        WHO_MAPS("who-maps", true) { Object make(Streams io) { return new WhoMapsCommand(io); } },
        DECODE("decode", false) { Object make(Streams io) { return new DecodeCommand(io); } },
        LAYOUT("layout", true) { Object make(Streams io) { return new LayoutCommand(io); } },
        PREFLIGHT("preflight", true) { Object make(Streams io) { return new PreflightCommand(io); } },
        WATCH("watch", true) { Object make(Streams io) { return new WatchCommand(io); } };

        final String command;
        final boolean readsTargets;

        Cmd(String command, boolean readsTargets) {
            this.command = command;
            this.readsTargets = readsTargets;
        }

        abstract Object make(Streams io);
    }

    private static boolean readsTargets(String name) {
        for (Cmd c : Cmd.values()) if (c.command.equals(name)) return c.readsTargets;
        return false;
    }

    public static void main(String[] args) {
        Timing.mark("main");
        if (args.length > 0 && readsTargets(args[0])) io.lminspect.inferior.NativeHelper.Holder.loadInBackground();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        int rc;
        try {
            Streams s = new Streams(out, System.err, io.lminspect.util.Terminal.stdout());
            Timing.mark("streams");
            rc = run(args, s);
        } catch (Throwable t) {
            // an Error (OutOfMemoryError, StackOverflowError) escapes picocli's handler: still one line and exit 3
            System.err.println("lminspect: internal error: " + t.getClass().getSimpleName() + " (LMINSPECT_DEBUG=1 shows the trace)");
            if (System.getenv("LMINSPECT_DEBUG") != null) t.printStackTrace();
            rc = ExitCode.CANNOT_INSPECT;
        }
        out.flush();
        Timing.mark("flush");
        Timing.print(System.err);
        System.exit(rc);
    }

    public static int run(String[] args, Streams io) {
        ReportCommand quick = QuickParse.parse(args, io);
        if (quick != null) {
            try {
                return quick.call();
            } catch (Exception e) {
                return failed(e, io);
            }
        }
        return newCommandLine(io, args.length > 0 ? args[0] : null).execute(args);
    }

    /** The commands, by name. A supplier each: building a command's picocli model costs start-up time. */
    static java.util.Map<String, java.util.function.Supplier<Object>> commands(Streams io) {
        java.util.Map<String, java.util.function.Supplier<Object>> m = new java.util.LinkedHashMap<>();
        for (Cmd c : Cmd.values()) m.put(c.command, () -> c.make(io));
        return m;
    }

    /** The real parser with every command, wired to the given streams. */
    public static CommandLine newCommandLine(Streams io) {
        return newCommandLine(io, null);
    }

    /**
     * The real parser, wired to the given streams (tests run commands in-process
     * through this). When the command to run is known, only its model is built;
     * help, usage errors and unknown names get all of them.
     */
    static CommandLine newCommandLine(Streams io, String command) {
        CommandLine cl = new CommandLine(new Main());
        Timing.mark("picocli: top model");
        java.util.Map<String, java.util.function.Supplier<Object>> all = commands(io);
        if (command != null && all.containsKey(command)) cl.addSubcommand(new CommandLine(all.get(command).get()));
        else {
            for (java.util.function.Supplier<Object> c : all.values()) cl.addSubcommand(new CommandLine(c.get()));
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        Timing.mark("picocli: command model");
        cl.setOut(new java.io.PrintWriter(io.out(), true));
        cl.setErr(new java.io.PrintWriter(io.err(), true));
        cl.setParameterExceptionHandler((ex, args) -> {
            io.err().println("lminspect: " + SafeText.clean(firstLine(ex.getMessage())) + " (see lminspect --help)");
            return ExitCode.CANNOT_INSPECT;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> failed(ex, io));
        cl.setExecutionStrategy(new CommandLine.RunLast());
        return cl;
    }

    /** A command that threw: one line on stderr, exit 3. */
    private static int failed(Exception ex, Streams io) {
        io.out().flush();
        // an ElfFormatException no caller turned into a cause still names the bad file: bad input, not a bug
        if (ex instanceof InspectException || ex instanceof ElfFormatException) {
            io.err().println("lminspect: " + SafeText.clean(firstLine(ex.getMessage())));
        } else {
            io.err().println("lminspect: internal error: " + ex.getClass().getSimpleName() + ": "
                    + SafeText.clean(firstLine(String.valueOf(ex.getMessage()))) + " (LMINSPECT_DEBUG=1 shows the trace)");
            if (System.getenv("LMINSPECT_DEBUG") != null) ex.printStackTrace(io.err());
        }
        return ExitCode.CANNOT_INSPECT;
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
