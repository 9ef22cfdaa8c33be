package io.lminspect.util;

import io.lminspect.support.Build;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FailureTest {
    @Test
    void everyCauseHasAMessageAndAHint() {
        for (Failure f : Failure.values()) {
            assertFalse(f.format().isBlank(), f + ": message");
            // NONE_INSPECTED ends with the first process's own cause and hint: a second would say nothing
            if (f == Failure.NONE_INSPECTED) {
                assertEquals("could not inspect any of the processes: pid 1: no such process: 1 (check the PID with ps; the process may have exited)",
                        f.message(1, Failure.NO_SUCH_PROCESS.message(1)));
                continue;
            }
            assertFalse(f.hint().isBlank(), f + ": hint");
            Object[] specifics = new Object[f.format().split("%s", -1).length - 1];
            Arrays.fill(specifics, "X");
            String m = f.message(specifics);
            assertFalse(m.contains("\n") || m.contains("%"), f + ": one line, every specific filled: " + m);
            assertTrue(m.endsWith(f.hint() + ")"), f + ": " + m);
        }
    }

    @Test
    void theExceptionCarriesItsCause() {
        InspectException e = new InspectException(Failure.NO_SUCH_PROCESS, 42);
        assertEquals(Failure.NO_SUCH_PROCESS, e.failure());
        assertTrue(e.getMessage().startsWith("no such process: 42 ("), e.getMessage());
        assertEquals("not a process id: '-5' (give a number such as 1234)", new InspectException(Failure.NOT_A_PID, "-5").getMessage());
    }

    @Test
    void thePtracePermissionHintIsWordedOnce() throws IOException {
        List<Failure> naming = Arrays.stream(Failure.values()).filter(f -> f.hint().contains("CAP_SYS_PTRACE")).toList();
        assertEquals(List.of(Failure.PERMISSION), naming);
        for (Path p : mainSources()) {
            if (p.endsWith("Failure.java")) continue;
            assertFalse(Files.readString(p).contains("CAP_SYS_PTRACE"), p + " words the permission hint itself");
        }
    }

    /** No free-text errors: the only way to throw one is to name its cause. */
    @Test
    void everyThrowNamesItsCause() {
        for (var c : InspectException.class.getConstructors())
            assertEquals(Failure.class, c.getParameterTypes()[0], "constructor " + c + " takes a cause first");
    }

    private static List<Path> mainSources() throws IOException {
        Path main = Build.root().resolve("java/main");
        assumeTrue(Files.isDirectory(main), "sources not at " + main);
        try (Stream<Path> s = Files.walk(main)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }
}
