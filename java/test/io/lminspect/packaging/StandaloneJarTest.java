package io.lminspect.packaging;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.Env;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `java -jar lminspect.jar` with nothing beside it: the native helper comes out of the jar
 * (linux-x86-64/liblmhelper.so, unpacked by JNA). --regs needs the helper (it is refused
 * without), so a register dump proves it was loaded.
 */
class StandaloneJarTest {
    @Test
    void jarAloneAttaches(@TempDir Path dir) throws Exception {
        Env.assumePtraceOfNonDescendants();
        Path jar = Files.copy(Build.build().resolve("lminspect.jar"), dir.resolve("lminspect.jar"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (TestProcess v = TestProcess.start(Build.testprog("tp_victim").toString(), Build.testprog("libv.so").toString())) {
            // the environment names this build's directories (LMINSPECT_BUILD): env -u takes it away
            Cli.Result r = Cli.exec(List.of("env", "-u", "LMINSPECT_BUILD", "-C", dir.toString(), java, "-jar", jar.toString(),
                    "attach", "--regs", Integer.toString(v.pid())), 120);
            assertEquals(0, r.rc(), r.out() + r.err());
            assertTrue(r.out().contains("libv.so.2") && r.out().contains("no findings"), r.out());
            assertTrue(r.out().contains("threads: 1, stopped for"), "registers read through the helper: " + r.out());
        }
    }
}
