package io.lminspect.host;

import io.lminspect.inferior.FileId;
import io.lminspect.support.Build;
import io.lminspect.support.Installer;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one host index, on real processes: every range of a mapped file, nothing re-parsed when nothing moved, exits forgotten. */
class HostMapsTest {

    @Test
    void indexesRealProcessesAndForgetsThemWhenTheyExit() throws Exception {
        Path lib = Installer.scratchCopy("libv.so", "hostmaps-");
        try {
            FileId id = FileId.of(Files.readAttributes(lib, "unix:dev,ino"));
            HostMaps index = HostMaps.ofFiles(Set.of(id));
            List<Integer> pids = new ArrayList<>();
            try (TestProcess a = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString());
                 TestProcess b = TestProcess.start(Build.testprog("tp_victim").toString(), lib.toString())) {
                pids.add(a.pid());
                pids.add(b.pid());
                HostMaps.Refresh first = index.refresh(false);
                assertEquals(List.of(id), first.newFiles());
                Map<Integer, List<String>> users = index.users(id);
                assertEquals(Set.copyOf(pids), users.keySet());
                // every mapping of the library, as its maps list them
                long inMaps = Files.readAllLines(Path.of("/proc", Integer.toString(a.pid()), "maps")).stream()
                        .filter(l -> l.endsWith(" " + lib)).count();
                assertEquals(inMaps, users.get(a.pid()).size(), users.toString());
                assertEquals(lib.toString(), index.path(id));
                assertTrue(index.code(id), "mapped executable");

                HostMaps.Refresh again = index.refresh(false);
                assertFalse(again.changed().contains(a.pid()) || again.changed().contains(b.pid()), "unchanged maps are not re-parsed: " + again);
                assertEquals(List.of(), again.newFiles());
            }
            HostMaps.Refresh after = index.refresh(false);
            assertTrue(after.gone().containsAll(pids), "exited processes are dropped: " + after.gone());
            assertEquals(Map.of(), index.users(id));
            assertEquals(null, index.path(id));
        } finally {
            Files.deleteIfExists(lib);
        }
    }

    /** A PID that names another process now never keeps the old process's files. */
    @Test
    void aReusedPidStartsAfresh() {
        FileId a = new FileId(1, 1), b = new FileId(1, 2);
        HostMaps index = HostMaps.ofFiles(Set.of(a, b));
        index.apply(new HostMaps.ProcessMaps(7, 100, 1, Map.of(a, new HostMaps.Use("/l/a.so", false, true, List.of("1-2", "2-3")))));
        index.apply(new HostMaps.ProcessMaps(7, 200, 2, Map.of(b, new HostMaps.Use("/l/b.so", false, true, List.of("1-2")))));
        assertEquals(Map.of(), index.users(a));
        assertEquals(Map.of(7, List.of("1-2")), index.users(b));
        assertEquals(200, index.startTicks(7));
    }
}
