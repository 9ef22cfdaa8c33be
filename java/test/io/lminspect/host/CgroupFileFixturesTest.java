package io.lminspect.host;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Whole /proc/PID/cgroup files as v1, hybrid and v2 hosts print them. */
class CgroupFileFixturesTest {
    static final String ID = "3f4e5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081";
    static final String POD = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

    static Stream<Arguments> fixtures() {
        return Stream.of(
                arguments("v1-systemd-nginx.txt", Service.systemdUnit("nginx.service")),
                arguments("v1-docker-cgroupfs.txt", Service.container("docker", ID, null)),
                arguments("v1-kubepods-cgroupfs.txt", Service.container("kubernetes", ID, POD)),
                arguments("v1-controllers-only-lxc.txt", Service.namedContainer("lxc", "web1")),
                arguments("hybrid-systemd-nginx.txt", Service.systemdUnit("nginx.service")),
                arguments("hybrid-docker-systemd-driver.txt", Service.container("docker", ID, null)),
                arguments("hybrid-prefers-name-systemd.txt", Service.systemdUnit("from-systemd.service")),
                arguments("hybrid-systemd-root-uses-unified.txt", Service.systemdUnit("from-unified.service")),
                arguments("v2-nginx.txt", Service.systemdUnit("nginx.service")),
                arguments("v2-user-unit.txt", Service.systemdUnit("foo.service")),
                arguments("v2-session.txt", Service.systemdUnit("session-3.scope")),
                arguments("v2-docker-systemd-driver.txt", Service.container("docker", ID, null)),
                arguments("v2-podman.txt", Service.container("podman", ID, null)),
                arguments("v2-kubepods-containerd.txt", Service.container("kubernetes", ID, POD)),
                arguments("v2-lxc.txt", Service.namedContainer("lxc", "web1")),
                arguments("v2-init-scope.txt", null),
                arguments("v2-root.txt", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureNamesItsService(String fixture, Service expected) throws IOException {
        CgroupFile f = CgroupFile.parse(fixture(fixture));
        assertEquals(Optional.empty(), f.distrust(), "a real kernel's file is trusted");
        assertEquals(Optional.ofNullable(expected), f.service());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureParsesTheSameWithoutItsLastNewline(String fixture, Service expected) throws IOException {
        String text = fixture(fixture);
        assertTrue(text.endsWith("\n"));
        assertEquals(Optional.ofNullable(expected), CgroupFile.parse(text.substring(0, text.length() - 1)).service());
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = CgroupFileFixturesTest.class.getResourceAsStream("/io/lminspect/host/cgroup/" + name)) {
            assertNotNull(in, "test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
