package io.lminspect.inferior;

import io.lminspect.support.Await;
import io.lminspect.support.Build;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Is this still the process we read" (rule 4), by its pidfd and, without the helper, by its
 * start time: true while it runs, false once it has exited, for real processes.
 */
class SameProcessTest {
    @Test
    void pidfdAnswersWhileItRunsAndAfterItExits() throws Exception {
        assertNotNull(NativeHelper.Holder.get(), "the helper is built: " + NativeHelper.Holder.loadError());
        TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString());
        PidFd fd = PidFd.open(v.pid());
        try (LiveProcess p = LiveProcess.open(v.pid())) {
            assertEquals(Boolean.FALSE, fd.exited(), "running");
            assertTrue(p.stillSameProcess());
            v.close(); // killed and reaped
            assertEquals(Boolean.TRUE, fd.exited(), "exited");
            assertFalse(p.stillSameProcess());
        } finally {
            fd.close();
            v.close();
        }
        assertEquals(null, fd.exited(), "a closed handle cannot say");
    }

    @Test
    void withoutTheHelperTheStartTimeAnswers() throws Exception {
        NativeHelper.Holder.override(null);
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString());
             LiveProcess p = LiveProcess.open(v.pid())) {
            assertEquals(null, PidFd.open(v.pid()).exited(), "no helper, no pidfd");
            assertTrue(p.stillSameProcess());
            v.close();
            assertTrue(Await.until(5000, () -> !p.stillSameProcess()), "the exit seen through /proc");
        } finally {
            NativeHelper.Holder.reset();
        }
    }
}
