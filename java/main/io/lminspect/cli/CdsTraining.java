package io.lminspect.cli;

import io.lminspect.util.Terminal;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The training run `make` records the start-up archive from (scripts/make-startup-archive):
 * the commands once each, in one JVM, so their classes (and on JDK 25 their linking and
 * profiles) are in the archive. Not a user command.
 *
 *   java -XX:AOTCacheOutput=… -cp lminspect.jar io.lminspect.cli.CdsTraining PID LIBRARY CORE
 *   java -XX:AOTCacheOutput=… -cp lminspect.jar io.lminspect.cli.CdsTraining quick PID
 *
 * The second form trains the plain attach and check lines QuickParse reads, for the AOT
 * cache the launcher gives those two commands: an AOT cache loads all its classes at
 * start-up, and they need neither picocli nor the other commands' classes (docs/jdk.md).
 */
public final class CdsTraining {
    private CdsTraining() {}

    public static void main(String[] args) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Streams io = new Streams(sink, sink, Terminal.stdout());
        String self = Long.toString(ProcessHandle.current().pid()); // a JVM: a few dozen objects
        String[][] attach = {
            {"attach", args.length > 1 ? args[1] : self}, {"attach", self}, {"attach", "--json", self},
            {"attach", "--thorough", self}, {"attach", "--json", "--thorough", self}, {"attach", "999999999"},
        };
        String[][] check = {
            {"check", args.length > 1 ? args[1] : self, self}, {"check", "--json", self}, {"check", "--format", "prometheus", self},
            {"check", "--format", "nagios", self}, {"check", "--quiet", self},
            // a whole host: the scan's own classes (process list, direct calls, groups, dpkg) come from the cache
            {"check", "--all", "--format", "nagios"},
        };
        if ("quick".equals(args[0])) {
            for (String[] r : attach) Main.run(r, io);
            for (String[] r : check) Main.run(r, io);
            return;
        }
        String pid = args[0];
        String[][] runs = {
            {"attach", "--regs", pid}, {"attach", "--color=always", pid},
            {"check", pid}, {"check", "--format", "json", pid}, {"check", "--format", "nagios", pid},
            {"check", "--format", "prometheus", pid}, {"who-maps", args[1]}, {"preflight", pid, "libm.so.6"},
            {"layout", pid}, {"decode", "a[1]: segfault at 0 ip 0000000000401000 sp 00007ffc00000000 error 4 in a[400000+1000]"},
            {"core", args.length > 2 ? args[2] : "/nonexistent"}, {"attach", "notapid"}, {"attach", "--help"},
        };
        for (String[] r : attach) Main.run(r, io);
        for (String[] r : runs) Main.run(r, io);
    }
}
