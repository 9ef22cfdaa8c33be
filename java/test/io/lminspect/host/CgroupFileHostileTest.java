package io.lminspect.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /proc/PID/cgroup holds names whoever made the cgroups chose: nothing in it may break us or reach a terminal raw. */
class CgroupFileHostileTest {
    static final String ID = CgroupFileFixturesTest.ID;

    @Test
    void emptyFileNamesNothing() {
        CgroupFile f = CgroupFile.parse("");
        assertEquals(Optional.empty(), f.distrust());
        assertEquals(List.of(), f.preferredPaths());
        assertEquals(Optional.empty(), f.service());
    }

    @Test
    void garbageIsDistrustedAsAWhole() {
        assertDistrusted("line 1 is not a cgroup line", "hello world\n");
        assertDistrusted("line 2 is not a cgroup line", "0::/system.slice/a.service\n\u0000\u00ff\u001b[2J\n");
        assertDistrusted("line 1 is not a cgroup line", "x:name=systemd:/system.slice/a.service\n");
        assertDistrusted("line 1 is not a cgroup line", "1:name=systemd:system.slice/a.service\n");
        assertDistrusted("line 2 is not a cgroup line", "1:name=systemd:/system.slice/a.service\n\n0::/\n");
        assertDistrusted("line 1 gives hierarchy 0 controllers", "0:memory:/system.slice/a.service\n");
    }

    @Test
    void hugeLinesAreDistrustedNotProcessed() {
        String megabyte = "0::/system.slice/" + "a".repeat(1 << 20) + ".service\n";
        assertDistrusted("more than " + CgroupFile.MAX_BYTES + " bytes", megabyte);
        String longerThanPathMax = "1:name=systemd:/\n0::/system.slice/" + "a".repeat(10_000) + ".service\n";
        assertDistrusted("line 2 is longer than " + CgroupFile.MAX_LINE + " characters", longerThanPathMax);
    }

    @Test
    void fileOverTheCapIsDistrusted() {
        StringBuilder sb = new StringBuilder();
        for (int i = 20; i > 0; i--) sb.append(i).append(":c").append(i).append(":/").append("d".repeat(4000)).append('\n');
        assertDistrusted("more than " + CgroupFile.MAX_BYTES + " bytes", sb.toString());
    }

    @Test
    void newlineInACgroupNameCannotForgeALine() {
        // older kernels printed a '\n' in a cgroup name raw: a user's own cgroup could claim sshd.service
        String user = "/user.slice/user-1000.slice/user@1000.service/app.slice/x";
        assertDistrusted("line 3 repeats a hierarchy",
                "2:memory:/\n1:name=systemd:" + user + "\n1:name=systemd:/system.slice/sshd.service\n0::/\n");
        assertDistrusted("line 2 follows the unified hierarchy's line",
                "0::" + user + "\n1:name=systemd:/system.slice/sshd.service\n");
        assertDistrusted("line 2 is not a cgroup line", "0::/system.slice/evil\nname.service\n");
    }

    @Test
    void controlCharactersInNamesAreEscaped() {
        assertEquals(unit("evil\\x1b[31m.service"), service("0::/system.slice/evil\u001b[31m.service\n"));
        assertEquals(unit("a\\x0db\\x09c.service"), service("0::/system.slice/a\rb\tc.service\n"));
        assertEquals(unit("bidi\\u{202e}ecivres.service"), service("0::/system.slice/bidi\u202eecivres.service\n"));
        // systemd's own escaping (\x2d for '-') is already printable: kept as it is, not doubled
        assertEquals(unit("sys-devices-foo\\x2dbar.service"), service("0::/system.slice/sys-devices-foo\\x2dbar.service\n"));
        assertEquals(new Service("\\x1b]0;pwned\\x07", ServiceKind.CONTAINER, null, "lxc", null, null),
                service("0::/lxc.payload.\u001b]0;pwned\u0007/init.scope\n"));
    }

    @Test
    void longNamesAreCapped() {
        String name = service("0::/system.slice/" + "x".repeat(3000) + ".service\n").name();
        assertEquals("x".repeat(Service.MAX_NAME) + "…", name);
        String escaped = service("0::/lxc.payload." + "\u001b".repeat(3000) + "\n").name();
        assertTrue(escaped.length() < 600, "escaped and capped: " + escaped.length());
        assertTrue(escaped.startsWith("\\x1b\\x1b"), escaped.substring(0, 8));
    }

    @Test
    void containerOnAnyPathWinsOverAUnit() {
        String text = "4:memory:/docker/" + ID + "\n1:name=systemd:/system.slice/containerd.service\n";
        assertEquals(Optional.of(Service.container("docker", ID, null)), CgroupFile.parse(text).service());
    }

    @Test
    void pathsWithColonsAndMultiControllerHierarchies() {
        CgroupFile f = CgroupFile.parse("3:cpu,cpuacct:/a:b.service\n2:name=systemd,none:/c.service\n");
        assertEquals(List.of("/c.service", "/a:b.service"), f.preferredPaths());
    }

    @Test
    void readCapsTheBytesAndDecodesInvalidUtf8Safely(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big");
        Files.write(big, ("0::/" + "a".repeat(CgroupFile.MAX_BYTES) + "\n").getBytes());
        assertEquals(Optional.of("more than " + CgroupFile.MAX_BYTES + " bytes"), CgroupFile.read(big).orElseThrow().distrust());

        Path bad = dir.resolve("bad");
        Files.write(bad, new byte[]{'0', ':', ':', '/', 'e', (byte) 0xff, (byte) 0xc3, '.', 's', 'c', 'o', 'p', 'e', '\n'});
        assertEquals(Optional.of(unit("e\ufffd\ufffd.scope")), CgroupFile.read(bad).orElseThrow().service());

        assertEquals(Optional.empty(), CgroupFile.read(dir.resolve("missing")));
        assertEquals(Optional.empty(), CgroupFile.read(dir), "a directory is not read");
    }

    private static void assertDistrusted(String why, String text) {
        CgroupFile f = CgroupFile.parse(text);
        assertEquals(Optional.of(why), f.distrust());
        assertEquals(List.of(), f.preferredPaths());
        assertEquals(Optional.empty(), f.service());
    }

    private static Service service(String text) {
        return CgroupFile.parse(text).service().orElseThrow();
    }

    private static Service unit(String name) {
        return new Service(name, ServiceKind.SYSTEMD, null, null, null, null);
    }
}
