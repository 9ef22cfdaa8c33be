package io.lminspect.watch;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the watch (exit 0, as a service manager expects of a clean
 * stop); SIGHUP asks for a full rescan, as daemons conventionally read it.
 */
public final class Signals {
    private Signals() {}

    public static void install(Runnable stop, Runnable rescan) {
        Signal.handle(new Signal("TERM"), s -> stop.run());
        Signal.handle(new Signal("INT"), s -> stop.run());
        Signal.handle(new Signal("HUP"), s -> rescan.run());
    }
}
