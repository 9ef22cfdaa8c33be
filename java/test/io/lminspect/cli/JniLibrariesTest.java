package io.lminspect.cli;

import io.lminspect.support.Build;
import io.lminspect.support.Cli;
import io.lminspect.support.JsonDoc;
import io.lminspect.support.TestProcess;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real JVM loading the JNI libraries of sqlite-jdbc, snappy-java (2 MiB-aligned segments: ld.so's
 * reservation reaches past the end of the file), zstd-jni, netty's epoll transport and JNA (each
 * extracts its library after the JVM started; the last three delete it after loading): no warning,
 * with the temp dir in /tmp and elsewhere. Then two JVMs extracting one fixed-name library: the
 * second's write lands on the first's mapped inode, and only the first is critical.
 */
class JniLibrariesTest {
    static final List<String> LIBS = List.of("sqlite", "snappy", "zstd", "netty", "jna");
    /** What each library's extracted file is called (part of the name). */
    static final List<String> FILE_MARKS = List.of("sqlitejdbc", "snappyjava", "zstd-jni", "netty_transport_native_epoll", "jna");

    static TestProcess jvm(Path tmp, String... libs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp, "-Djna.tmpdir=" + tmp, "-Djna.nosys=true",
                "-Dio.netty.native.workdir=" + tmp, "-cp", System.getProperty("java.class.path"), "io.lminspect.support.JniLoader"));
        cmd.addAll(List.of(libs));
        return TestProcess.start(cmd.toArray(new String[0]));
    }

    static void command(TestProcess p, String line) throws Exception {
        OutputStream o = p.process().getOutputStream();
        o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
        assertNotNull(p.awaitLine("done " + line, 20_000), "the JVM did not finish '" + line + "': " + p.lines());
    }

    private void loadsAllWithoutWarning(Path tmp) throws Exception {
        try (TestProcess j = jvm(tmp, LIBS.toArray(new String[0]))) {
            Cli.Result r = Cli.run("attach", "--json", Integer.toString(j.pid()));
            Map<String, Object> doc = JsonDoc.parse(r.out());
            List<String> names = new ArrayList<>();
            for (Map<String, Object> e : JsonDoc.list(doc, "entries")) names.add(String.valueOf(e.get("name")));
            for (String mark : FILE_MARKS)
                assertTrue(names.stream().anyMatch(n -> n.contains(mark) && n.startsWith(tmp.toString())),
                        "the JVM loaded " + mark + " from " + tmp + ": " + names);
            for (Map<String, Object> f : JsonDoc.list(doc, "findings"))
                assertTrue("info".equals(f.get("severity")), "no warning or worse on a healthy JVM: " + f);
            assertEquals(0, r.rc(), r.out() + r.err());
            // each named by the jar it came from (an open jar's entry with its size and CRC) and by its loader
            Map<String, String> loaders = Map.of("sqlitejdbc", "sqlite-jdbc", "snappyjava", "snappy-java", "zstd-jni", "zstd-jni",
                    "netty_transport_native_epoll", "netty", "jna", "JNA");
            Map<String, String> jars = Map.of("sqlitejdbc", "sqlite-jdbc-", "snappyjava", "snappy-java-", "zstd-jni", "zstd-jni-",
                    "netty_transport_native_epoll", "netty-transport-native-epoll-", "jna", "jna-");
            for (String mark : FILE_MARKS) {
                Map<String, Object> e = JsonDoc.list(doc, "entries").stream()
                        .filter(x -> String.valueOf(x.get("name")).contains(mark) && String.valueOf(x.get("name")).startsWith(tmp.toString()))
                        .findFirst().orElseThrow();
                Map<String, Object> origin = JsonDoc.obj(e, "origin");
                assertNotNull(origin, "origin of " + e);
                assertEquals(loaders.get(mark), origin.get("loader"), e.toString());
                String jar = String.valueOf(origin.get("jar"));
                assertTrue(jar.substring(jar.lastIndexOf('/') + 1).startsWith(jars.get(mark)) && jar.endsWith(".jar"), e.toString());
                assertTrue(String.valueOf(origin.get("entry")).endsWith(".so"), e.toString());
            }
            assertTrue(JsonDoc.list(doc, "entries").stream().filter(x -> String.valueOf(x.get("name")).startsWith("/usr/lib/"))
                    .allMatch(x -> x.get("origin") == null), "system libraries have no origin");
            // a bare JVM's tree is named by what its root runs (here the test JVM that started it: surefire's booter jar)
            String service = String.valueOf(JsonDoc.obj(doc, "service").get("name"));
            assertTrue(!service.startsWith("java ") && (service.startsWith("surefirebooter") || service.startsWith("io.lminspect")),
                    "a bare JVM is named by its application: " + service);
            // the 2 MiB-aligned objects' PROT_NONE gaps lie past EOF: not a mapping past EOF, not a rewrite
            assertTrue(!r.out().contains("MAPPING_PAST_EOF") && !r.out().contains("\"critical\""), r.out());
            Cli.Result text = Cli.run("attach", Integer.toString(j.pid()));
            assertTrue(!text.out().contains("reinstall the package"), text.out());
        }
    }

    @Test
    void jniLibrariesExtractedToTmpAreHealthy() throws Exception {
        Path tmp = Files.createTempDirectory(Path.of("/tmp"), "lmi-jni");
        loadsAllWithoutWarning(tmp);
    }

    @Test
    void jniLibrariesExtractedOutsideTempDirsAreHealthy() throws Exception {
        Path tmp = Files.createTempDirectory(Build.scratchOutsideTemp(), "jni");
        loadsAllWithoutWarning(tmp);
    }

    @Test
    void twoJvmsWritingOneFixedNameLibrary() throws Exception {
        Path dir = Files.createTempDirectory(Build.scratchOutsideTemp(), "fixed");
        Path lib = dir.resolve("libsqlitejdbc-fixed.so");
        try (TestProcess first = jvm(dir); TestProcess second = jvm(dir)) {
            command(first, "write " + lib);
            command(first, "load " + lib);
            Thread.sleep(100); // the second JVM's extraction comes a moment later, as in a rolling restart
            command(second, "write " + lib); // O_TRUNC on the inode the first JVM maps
            command(second, "load " + lib);

            Cli.Result r = Cli.run("check", "--json", Integer.toString(first.pid()), Integer.toString(second.pid()));
            assertEquals(2, r.rc(), r.out() + r.err());
            Map<String, Object> doc = JsonDoc.parse(r.out());
            for (Map<String, Object> p : JsonDoc.list(doc, "processes")) {
                long pid = ((Number) JsonDoc.obj(p, "target").get("pid")).longValue();
                List<String> critical = new ArrayList<>();
                for (Map<String, Object> f : JsonDoc.list(p, "findings"))
                    if ("critical".equals(f.get("severity")) && lib.toString().equals(f.get("object"))) critical.add((String) f.get("code"));
                if (pid == first.pid())
                    assertTrue(critical.contains("DYNAMIC_UNRELOCATED") || critical.contains("RELOCATIONS_REVERTED"),
                            "the first JVM's copy was overwritten under it: " + p.get("findings"));
                else
                    assertTrue(critical.isEmpty(), "the second JVM loaded the file after writing it: healthy " + p.get("findings"));
            }
        }
    }
}
