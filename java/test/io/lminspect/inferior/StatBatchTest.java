package io.lminspect.inferior;

import io.lminspect.support.Build;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stats one native call takes for all mapped files equal those Java takes one by one. */
class StatBatchTest {

    @AfterEach
    void realHelperAgain() {
        NativeHelper.Holder.reset();
    }

    @Test
    void batchedStatsEqualJavaStats() throws Exception {
        assertNotNull(NativeHelper.Holder.get(), "the helper is built: " + NativeHelper.Holder.loadError());
        try (TestProcess victim = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            int pid = victim.pid(); // it said "ready": its library is loaded
            int files = 0;
            try (LiveProcess batched = LiveProcess.open(pid)) {
                NativeHelper.Holder.override(null); // the second process view stats from Java, one file at a time
                try (LiveProcess oneByOne = LiveProcess.open(pid)) {
                    for (Mapping m : batched.mappings().all()) {
                        if (!m.fileBacked()) continue;
                        files++;
                        Optional<FileFacts> a = batched.statMapped(m), b = oneByOne.statMapped(m);
                        assertTrue(a.isPresent(), "stat of " + m.path());
                        assertEquals(b, a, "by inode: " + m.path());
                        assertEquals(oneByOne.statPathToday(m.path()), batched.statPathToday(m.path()), "by path: " + m.path());
                    }
                }
            }
            assertTrue(files >= 3, "tp_victim maps its program, libc, ld.so and libv: " + files);
            // a path that names nothing is missing either way
            try (LiveProcess p = LiveProcess.open(pid)) {
                assertEquals(Optional.of(FileFacts.missing("/no/such/file")), p.statPathToday("/no/such/file"));
            }
        }
    }
}
