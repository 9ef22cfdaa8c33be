package io.lminspect.cli;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Runs the commands once, in one JVM, so `make` can record every class they load
 * into the CDS archive (-XX:ArchiveClassesAtExit): start-up of every command, not
 * only attach, then reads classes from the archive. Not a user command.
 *
 *   java -XX:ArchiveClassesAtExit=… -cp lminspect.jar io.lminspect.cli.CdsTraining PID LIBRARY CORE
 */
public final class CdsTraining {
    private CdsTraining() {}

    public static void main(String[] args) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Streams io = new Streams(sink, sink);
        String pid = args[0];
        String[][] runs = {
            {"attach", pid}, {"attach", "--json", pid}, {"attach", "--regs", pid}, {"attach", "--color=always", pid},
            {"check", pid}, {"check", "--format", "json", pid}, {"check", "--format", "nagios", pid},
            {"check", "--format", "prometheus", pid}, {"who-maps", args[1]}, {"preflight", pid, "libm.so.6"},
            {"layout", pid}, {"decode", "a[1]: segfault at 0 ip 0000000000401000 sp 00007ffc00000000 error 4 in a[400000+1000]"},
            {"core", args.length > 2 ? args[2] : "/nonexistent"}, {"attach", "notapid"},
        };
        for (String[] r : runs) Main.run(r, io);
    }
}
