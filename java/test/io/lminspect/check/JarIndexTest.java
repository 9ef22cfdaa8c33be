package io.lminspect.check;

import io.lminspect.elf.FileByteSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The central directory as JarIndex reads it equals what java.util.zip reads, on real jars of the test class path. */
class JarIndexTest {
    @Test
    void readsRealJarsAsZipFileDoes() throws Exception {
        for (Class<?> c : List.of(org.sqlite.JDBC.class, org.xerial.snappy.Snappy.class, com.sun.jna.Native.class)) {
            Path jar = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<JarIndex.Entry> expected = new ArrayList<>();
            try (ZipFile z = new ZipFile(jar.toFile())) {
                z.stream().forEach(e -> expected.add(new JarIndex.Entry(e.getName(), e.getSize(), e.getCrc())));
            }
            try (FileByteSource src = FileByteSource.open(jar)) {
                assertEquals(expected, JarIndex.read(src).entries(), jar.toString());
            }
            assertTrue(expected.stream().anyMatch(e -> e.name().endsWith(".so")), "a jar with a JNI library: " + jar);
        }
    }
}
