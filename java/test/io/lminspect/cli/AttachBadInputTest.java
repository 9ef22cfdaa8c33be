package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.TestProcess;
import io.lminspect.target.NativeHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Bad input: exit 3 and one line on stderr naming the cause, never a stack trace. */
class AttachBadInputTest {

    static void assertOneLineError(Cli.Result r, String mustContain) {
        assertEquals(3, r.rc(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertTrue(err.contains(mustContain), err);
    }

    @AfterEach
    void restoreHelper() {
        NativeHelper.Holder.reset();
    }

    @Test
    void noSuchProcess() {
        assertOneLineError(Cli.run("attach", "2147483646"), "no such process");
    }

    @Test
    void notAPid() {
        assertOneLineError(Cli.run("attach", "notapid"), "not a process id");
        assertOneLineError(Cli.run("attach", "-5"), "");
        assertOneLineError(Cli.run("attach"), "");
        assertOneLineError(Cli.run("frobnicate"), "");
    }

    @Test
    void kernelThread() {
        assertOneLineError(Cli.run("attach", "2"), "kernel thread");
    }

    @Test
    void processWeMayNotReadAsUnprivilegedUser() throws Exception {
        assumeTrue(Build.have("setpriv"), "setpriv not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to switch to an unprivileged user");
        // run the real launcher as nobody against pid 1 (root's)
        Cli.Result r = Cli.exec(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Build.launcher().toString(), "attach", "1"), 120);
        assertOneLineError(r, "permission denied");
        assertTrue(r.err().contains("CAP_SYS_PTRACE"), r.err());
    }

    /** An EPERM from process_vm_readv (e.g. Yama) cannot be provoked as root: mock the helper. */
    @Test
    void epermFromTheKernelIsOneLine() throws Exception {
        NativeHelper h = mock(NativeHelper.class);
        when(h.lmh_abi_version()).thenReturn(NativeHelper.ABI_VERSION);
        when(h.lmh_read_batch(anyInt(), any(), any(), anyInt(), any(), any(), anyInt())).thenReturn(-1L);
        NativeHelper.Holder.override(h);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            Cli.Result r = Cli.run("attach", Integer.toString(v.pid()));
            assertOneLineError(r, "permission denied reading the memory of process " + v.pid());
        }
    }
}
