package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Env;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A partial view is never reported as a clean one (rule 6). As an unprivileged user most
 * processes cannot be read: who-maps must not say "not mapped by any process", check must not
 * say OK; each says how many it could not read. What it could read it still reports.
 */
class PartialViewTest {
    static final String LIBC = "/lib/x86_64-linux-gnu/libc.so.6";

    static Cli.Result asNobody(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Build.launcher().toString()));
        cmd.addAll(List.of(args));
        return Cli.exec(cmd, 120);
    }

    @Test
    void whoMapsAsNobodyDoesNotClaimNobodyMapsIt() throws Exception {
        Env.assumeSecondUser();
        Cli.Result r = asNobody("who-maps", "/etc/hostname");
        Cli.assertOneLineError(r, "could not be read");
        // nobody's own process is readable: listed, with the gap said
        try (TestProcess mine = TestProcess.start("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            Cli.Result some = asNobody("who-maps", LIBC);
            assertEquals(1, some.rc(), some.out() + some.err());
            assertTrue(some.out().contains("pid " + mine.pid()), some.out());
            assertTrue(some.out().contains("could not be read"), some.out());
        }
    }

    @Test
    void checkAllAsNobodyIsUnknownNotOk() throws Exception {
        Env.assumeSecondUser();
        try (TestProcess mine = TestProcess.start("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            Cli.Result r = asNobody("check", "--all", "--format", "nagios");
            assertEquals(3, r.rc(), r.out() + r.err());
            String first = r.out().split("\n")[0];
            assertTrue(first.startsWith("LMINSPECT UNKNOWN - ") && first.contains("could not be read"), first);
            Cli.Result text = asNobody("check", "--all");
            assertEquals(3, text.rc(), text.out() + text.err());
            assertTrue(text.out().contains("UNKNOWN: ") && text.out().contains("does not cover them"), text.out());
            // what it could read is still inspected: nobody's own healthy process
            Cli.Result own = asNobody("check", Integer.toString(mine.pid()));
            assertEquals(0, own.rc(), own.out() + own.err());
        }
    }
}
