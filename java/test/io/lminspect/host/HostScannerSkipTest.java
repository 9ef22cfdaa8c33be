package io.lminspect.host;

import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class HostScannerSkipTest {
    @Test
    void anExitedProcessIsToldByItsCause() {
        assertEquals("exited before it was read", HostScanner.skipReason(new InspectException(Failure.NO_SUCH_PROCESS, 42)));
        assertEquals("exited (or its PID was reused) while it was read",
                HostScanner.skipReason(new InspectException(Failure.PROCESS_EXITED, 42)));
        // the words alone do not make an exit
        InspectException other = new InspectException(Failure.BAD_ARGUMENT, "no such process here");
        assertEquals(other.getMessage(), HostScanner.skipReason(other));
    }

    @Test
    void aProcessGoneBeforeTheScanIsSkipped() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        int pid = (int) p.pid();
        ScanResult r = new HostScanner(1, false).scan(List.of(pid), n -> { }).get(0);
        assertFalse(r.wasInspected());
        assertEquals("exited before it was read", r.skipReason());
    }
}
