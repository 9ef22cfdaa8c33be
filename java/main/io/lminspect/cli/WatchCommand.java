package io.lminspect.cli;

import io.lminspect.watch.ArgvSplit;
import io.lminspect.watch.ListenAddress;
import io.lminspect.watch.Signals;
import io.lminspect.watch.WatchDuration;
import io.lminspect.watch.Watcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = Version.class,
        exitCodeListHeading = HelpText.EXIT_HEADING,
        exitCodeList = {"0:stopped by SIGTERM or SIGINT (or its stdout was closed)",
                "3:could not start: no native helper, neither fanotify nor inotify, a bad option or --textfile directory: one line on stderr names the cause"},
        footerHeading = HelpText.EXAMPLE_HEADING,
        footer = {"  lminspect watch", "  lminspect watch --json --listen 127.0.0.1:9477   # as the unit runs it",
                "  lminspect watch --exec 'logger -t lminspect'      # JSON on its stdin",
                "  systemctl reload lminspect-watch                  # full rescan"},
        description = {
        "Report the moment a file that processes map is written in place, truncated,",
        "replaced by rename or deleted, with the findings of the processes that map it.",
        "Nobody is stopped. One line per change (--json: JSON Lines). SIGHUP: full rescan."})
final class WatchCommand implements Callable<Integer> {
    /** Tests: behave as an unprivileged watcher would (fanotify refused), as root. */
    static final String REFUSE_FANOTIFY_ENV = "LMINSPECT_WATCH_NO_FANOTIFY";
    /** How long a stop may take before the process is halted anyway (a stuck stdout, a slow inspection). */
    static final long STOP_GRACE_MS = 800;

    private final Streams io;

    @Option(names = "--json", description = "JSON Lines: a \"watching\" line, then one \"change\" object per event")
    boolean json;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "60s",
            description = "rescan of /proc/PID/maps for new and changed processes, e.g. 500ms, 2s, 1m (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "serve GET /metrics (Prometheus text) there; loopback when ADDR is left out")
    String listen;

    @Option(names = "--textfile", paramLabel = "PATH", description = "write the same metrics to PATH atomically after each change and rescan (node_exporter's textfile collector)")
    String textfile;

    @Option(names = "--exec", paramLabel = "CMD", description = "run CMD (split into words once, no shell) for each event, the event's JSON on its stdin")
    String exec;

    WatchCommand(Streams io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        long intervalMs = WatchDuration.parseMillis(interval);
        List<String> argv = exec == null ? null : ArgvSplit.split(exec);
        var listenAt = listen == null ? null : ListenAddress.parse(listen);
        if (listenAt != null && !listenAt.getAddress().isLoopbackAddress())
            io.err().println("lminspect watch: warning: --listen " + listen + " serves /metrics (process, service and file names of this host)"
                    + " to anyone who can reach it; bind 127.0.0.1 or firewall the port (docs/security.md)");
        if (textfile != null) AtomicOutput.checkTarget(textfile); // a directory or an unsafe one: exit 3 now, not a failed write per change
        java.util.function.Consumer<byte[]> textOut = textfile == null ? null : bytes -> AtomicOutput.write(bytes, textfile);
        Watcher w = new Watcher(new Watcher.Options(json, intervalMs, listenAt, textOut, argv, System.getenv(REFUSE_FANOTIFY_ENV) != null),
                io.out(), io.err());
        Thread hook = new Thread(() -> stop(w), "lminspect-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Signals.install(() -> stop(w), w::requestFullRescan);
        try {
            return w.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    /** Stops the watch; if it has not ended within the grace period, ends the process with 0 anyway. */
    private void stop(Watcher w) {
        w.stop();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(STOP_GRACE_MS);
            } catch (InterruptedException e) {
                return;
            }
            io.out().flush();
            Runtime.getRuntime().halt(0);
        }, "lminspect-stop-grace");
        t.setDaemon(true);
        t.start();
    }
}
