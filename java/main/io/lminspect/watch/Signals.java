package io.lminspect.watch;

import io.lminspect.inferior.NativeHelper;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the watch (exit 0, as a service manager expects of a clean
 * stop); SIGHUP asks for a full rescan, as daemons conventionally read it. A signal inherited
 * as ignored (nohup ignores SIGHUP, a shell's `cmd &` without job control ignores SIGINT) would
 * make the JVM skip the handler silently: it is set back to its default first, so each signal
 * does what this says whatever started the watch.
 */
public final class Signals {
    static final int SIGHUP = 1, SIGINT = 2, SIGTERM = 15;

    private Signals() {}

    public static void install(Runnable stop, Runnable rescan) {
        NativeHelper h = NativeHelper.Holder.get();
        if (h != null) for (int sig : new int[]{SIGHUP, SIGINT, SIGTERM}) h.lmh_unignore_signal(sig);
        Signal.handle(new Signal("TERM"), s -> stop.run());
        Signal.handle(new Signal("INT"), s -> stop.run());
        Signal.handle(new Signal("HUP"), s -> rescan.run());
    }
}
