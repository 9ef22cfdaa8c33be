package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Env;
import io.lminspect.support.Cli;
import io.lminspect.support.TestProcess;
import io.lminspect.inferior.NativeHelper;
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


    @AfterEach
    void restoreHelper() {
        NativeHelper.Holder.reset();
    }

    @Test
    void noSuchProcess() {
        Cli.assertOneLineError(Cli.run("attach", "2147483646"), "no such process");
    }

    @Test
    void notAPid() {
        Cli.assertOneLineError(Cli.run("attach", "notapid"), "not a process id");
        Cli.assertOneLineError(Cli.run("attach", "-5"), "not a process id: '-5'");
        Cli.assertOneLineError(Cli.run("attach"), "Missing required parameter: 'PID'");
        Cli.assertOneLineError(Cli.run("frobnicate"), "Unmatched argument at index 0: 'frobnicate'");
    }

    @Test
    void kernelThread() {
        Cli.assertOneLineError(Cli.run("attach", "2"), "kernel thread");
    }

    @Test
    void processWeMayNotReadAsUnprivilegedUser() throws Exception {
        Env.assumeSecondUser();
        // run the real launcher as nobody against pid 1 (root's)
        Cli.Result r = Cli.exec(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Build.launcher().toString(), "attach", "1"), 120);
        Cli.assertOneLineError(r, "permission denied");
        assertTrue(r.err().contains("CAP_SYS_PTRACE"), r.err());
    }

    /** An EPERM from process_vm_readv (e.g. Yama) cannot be provoked as root: mock the helper. */
    @Test
    void epermFromTheKernelIsOneLine() throws Exception {
        NativeHelper h = mock(NativeHelper.class);
        when(h.lmh_abi_version()).thenReturn(NativeHelper.ABI_VERSION);
        when(h.lmh_read_batch(anyInt(), any(), any(), anyInt(), any(), any(), anyInt())).thenReturn(-1L);
        // the /proc files are read from Java (-ENOSYS: not by the helper), so the open succeeds and the memory read fails
        when(h.lmh_proc_files(anyInt(), any(), anyInt(), any(), anyInt(), any())).thenReturn(-38);
        NativeHelper.Holder.override(h);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            Cli.Result r = Cli.run("attach", Integer.toString(v.pid()));
            Cli.assertOneLineError(r, "permission denied reading the memory of process " + v.pid());
        }
    }
}
