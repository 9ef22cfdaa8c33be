package io.lminspect.watch;

import io.lminspect.inferior.FileId;
import io.lminspect.report.json.WatchEventJson;
import io.lminspect.report.model.Change;
import io.lminspect.report.model.ProcessReport;
import io.lminspect.report.model.WatchEvent;
import io.lminspect.report.text.WatchEventText;
import io.lminspect.util.Plain;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Turns coalesced notifications into events: looks at each file's path, decides
 * whether the change can hurt a process that maps it, re-inspects those processes
 * (never stopping them), and hands each event, drawn by report/, to the output and
 * the --exec hook. One thread, so events come out in order.
 */
final class Dispatcher {
    private final WatchIndex index;
    private final Coalescer coalescer;
    private final WatchInspector inspector;
    private final WatchCounters counters;
    private final boolean json;
    private final Consumer<String> print;
    private final PrintStream err;
    private final Runnable afterEvents;
    private volatile ExecHook exec;

    Dispatcher(WatchIndex index, Coalescer coalescer, WatchInspector inspector, WatchCounters counters, boolean json,
               Consumer<String> print, PrintStream err, Runnable afterEvents) {
        this.index = index;
        this.coalescer = coalescer;
        this.inspector = inspector;
        this.counters = counters;
        this.json = json;
        this.print = print;
        this.err = err;
        this.afterEvents = afterEvents;
    }

    void exec(ExecHook hook) {
        this.exec = hook;
    }

    /** The dispatcher thread's body: until interrupted or running says stop. */
    void loop(java.util.function.BooleanSupplier running) {
        while (running.getAsBoolean()) {
            try {
                List<Coalescer.Window> due = coalescer.awaitDue(Watcher.POLL_MS * 1_000_000L);
                if (!due.isEmpty()) dispatch(due);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                err.println("lminspect watch: an event could not be reported: " + e);
            }
        }
    }

    private record Pending(WatchIndex.View file, Change change, Coalescer.Window window) {}

    private void dispatch(List<Coalescer.Window> due) {
        long t0 = System.nanoTime();
        List<Pending> changes = new ArrayList<>();
        Set<Integer> pids = new HashSet<>();
        for (Coalescer.Window w : due) {
            WatchIndex.View v = index.view(w.key());
            if (v == null) continue; // nobody maps it any more
            FileState now = FileProbe.look(v);
            Change c = FileState.change(v.baseline(), now, (w.flags() & Hint.MODIFIED) != 0);
            if (now.kind() != FileState.Kind.UNKNOWN) index.baseline(w.key(), now);
            if (c == null) continue;
            // a data file (mapped, never executed) is written by its users all day; only losing bytes, a replacement
            // or a deletion can hurt a process that maps it
            if (c == Change.WRITTEN && !v.code()) continue;
            changes.add(new Pending(v, c, w));
            pids.addAll(v.users().keySet());
        }
        if (changes.isEmpty()) return;
        long t1 = System.nanoTime();
        Map<Integer, WatchInspector.Inspected> fresh = inspector.inspect(pids, false);
        long nowNanos = System.nanoTime();
        if (Watcher.TIMING) for (Pending p : changes)
            err.printf(Plain.LOCALE, "timing: %s: first notification %.1f ms before the window closed, last %.1f ms before; looked %.1f ms, inspected %d processes %.1f ms%n",
                    SafeText.clean(p.file.path()), (t0 - p.window.firstNanos()) / 1e6, (t0 - p.window.lastNanos()) / 1e6,
                    (t1 - t0) / 1e6, pids.size(), (nowNanos - t1) / 1e6);
        for (Pending p : changes) {
            List<ProcessReport> mapping = new ArrayList<>();
            io.lminspect.check.JniOrigins.Origin origin = null;
            for (int pid : p.file.users().keySet()) {
                WatchInspector.Inspected in = fresh.get(pid);
                if (in == null || !in.maps().contains(p.file.key())) continue;
                mapping.add(in.report());
                if (origin == null) origin = in.origins().get(p.file.key());
            }
            if (mapping.isEmpty()) continue; // every process that mapped it exited meanwhile
            long latency = (nowNanos - p.window.firstNanos()) / 1_000_000;
            long when = System.currentTimeMillis() - latency;
            WatchEvent e = WatchEvents.of(when, p.change, p.file, mapping, latency, p.window.writer(), p.window.writerUnknown(), origin);
            // a library written, then loaded (extracted), is no news: only a warning or worse makes that write an event
            if ((p.window.flags() & Hint.UNINDEXED) != 0 && (e.severity() == null || e.severity() == io.lminspect.finding.Severity.INFO)) continue;
            emit(e);
        }
        afterEvents.run();
    }

    private void emit(WatchEvent e) {
        counters.events.get(e.change()).incrementAndGet();
        ExecHook hook = exec;
        String line = json || hook != null ? WatchEventJson.change(e) : null;
        print.accept(json ? line : WatchEventText.change(e));
        if (hook != null) hook.submit(line);
    }

    /**
     * One inspection before the first event, so the first event does not also pay for
     * loading the inspection code: of a process with a typical handful of libraries
     * (a big one would only make start-up slower), and the rest of an event's path,
     * rendered and thrown away.
     */
    void warmUp() {
        for (int pid : new TreeSet<>(index.pids())) {
            Set<FileId> files = index.files(pid);
            if (files.size() < 5 || files.size() > 60) continue;
            WatchInspector.Inspected in = inspector.inspect(Set.of(pid), true).get(pid);
            if (in == null) continue;
            WatchIndex.View v = index.view(files.iterator().next());
            if (v != null) {
                FileState.change(v.baseline(), FileProbe.look(v), true);
                WatchEvent ev = WatchEvents.of(System.currentTimeMillis(), Change.WRITTEN, v, List.of(in.report()), 0, null, null, null);
                WatchEventJson.change(ev);
                WatchEventText.change(ev);
            }
            return;
        }
    }
}
