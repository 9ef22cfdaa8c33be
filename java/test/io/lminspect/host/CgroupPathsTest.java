package io.lminspect.host;

import io.lminspect.report.text.ScanText;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CgroupPathsTest {
    static final String ID = CgroupFileFixturesTest.ID;
    static final String ID2 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String POD = CgroupFileFixturesTest.POD;
    static final String POD_SYSTEMD = POD.replace('-', '_');

    static Stream<Arguments> paths() {
        return Stream.of(
                // systemd units
                arguments("/system.slice/nginx.service", unit("nginx.service")),
                arguments("/system.slice/system-getty.slice/getty@tty1.service", unit("getty@tty1.service")),
                arguments("/system.slice/nginx.service/workers", unit("nginx.service")),
                arguments("/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service", unit("foo.service")),
                arguments("/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox-4242.scope",
                        unit("app-gnome-firefox-4242.scope")),
                arguments("/user.slice/user-1000.slice/user@1000.service/init.scope", unit("user@1000.service")),
                arguments("/user.slice/user-1000.slice/session-3.scope", unit("session-3.scope")),
                arguments("/../../system.slice/nginx.service", unit("nginx.service")),
                arguments("/machine.slice/libpod-conmon-" + ID + ".scope", unit("libpod-conmon-" + ID + ".scope")),
                arguments("/system.slice/docker-" + ID.substring(1) + ".scope", unit("docker-" + ID.substring(1) + ".scope")),
                // docker
                arguments("/system.slice/docker-" + ID + ".scope", container("docker", ID, null)),
                arguments("/docker/" + ID, container("docker", ID, null)),
                arguments("/docker/" + ID + "/init.scope", container("docker", ID, null)),
                arguments("/system.slice/docker-" + ID + ".scope/system.slice/nginx.service", container("docker", ID, null)),
                arguments("/docker/" + ID + "/docker/" + ID2, container("docker", ID, null)),
                arguments("/user.slice/user-1000.slice/user@1000.service/user.slice/docker-" + ID + ".scope",
                        container("docker", ID, null)),
                // podman
                arguments("/machine.slice/libpod-" + ID + ".scope", container("podman", ID, null)),
                arguments("/machine.slice/libpod-" + ID + ".scope/container", container("podman", ID, null)),
                arguments("/libpod_parent/libpod-" + ID, container("podman", ID, null)),
                arguments("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + ID + ".scope",
                        container("podman", ID, null)),
                // containerd, CRI-O, kubernetes
                arguments("/system.slice/cri-containerd-" + ID + ".scope", container("containerd", ID, null)),
                arguments("/system.slice/crio-" + ID + ".scope", container("cri-o", ID, null)),
                arguments("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + POD_SYSTEMD + ".slice/cri-containerd-"
                        + ID + ".scope", container("kubernetes", ID, POD)),
                arguments("/kubepods.slice/kubepods-pod" + POD_SYSTEMD + ".slice/crio-" + ID + ".scope", container("kubernetes", ID, POD)),
                arguments("/kubepods/burstable/pod" + POD + "/" + ID, container("kubernetes", ID, POD)),
                arguments("/kubepods/pod" + POD + "/" + ID, container("kubernetes", ID, POD)),
                arguments("/kubepods/besteffort/pod6b3f1c0e2d9a4f8b7c6d5e4f3a2b1c0d/" + ID,
                        container("kubernetes", ID, "6b3f1c0e2d9a4f8b7c6d5e4f3a2b1c0d")),
                arguments("/default/" + ID, container(null, ID, null)),
                // lxc
                arguments("/lxc.payload.web1", Service.namedContainer("lxc", "web1")),
                arguments("/lxc.payload.web.prod/system.slice/nginx.service", Service.namedContainer("lxc", "web.prod")),
                arguments("/lxc/web1", Service.namedContainer("lxc", "web1")),
                arguments("/lxc/web1/init.scope", Service.namedContainer("lxc", "web1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void pathNamesItsService(String path, Service expected) {
        assertEquals(Optional.of(expected), CgroupPaths.classify(path));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"/", "", "/init.scope", "/system.slice", "/user.slice/user-1000.slice", "/.service",
            "/lxc.monitor.web1", "/lxc.payload.", "/process_api/0a2cf0b9b6fcafd51ad08e96e4441f20", "/kubepods/burstable/pod" + "x"})
    void pathWithoutUnitOrContainerNamesNothing(String path) {
        assertEquals(Optional.empty(), CgroupPaths.classify(path));
    }

    @org.junit.jupiter.api.Test
    void containerNamesAreShortIdsAndReportsSayWhose() {
        Service k = container("kubernetes", ID, POD);
        assertEquals("3f4e5a6b7c8d", k.name());
        assertEquals("kubernetes 3f4e5a6b7c8d", ScanText.name(k));
        assertEquals("docker 3f4e5a6b7c8d", ScanText.name(container("docker", ID, null)));
        assertEquals("container 3f4e5a6b7c8d", ScanText.name(container(null, ID, null)));
        assertEquals("nginx.service", ScanText.name(unit("nginx.service")));
        assertEquals("nginx tree 9010", ScanText.name(Service.processTree("nginx", 9010)));
        assertEquals("nginx", Service.processTree("nginx", 9010).stableName(), "metric labels carry no pid");
        assertEquals("process tree 77", ScanText.name(Service.processTree(null, 77)));
        assertEquals("pid 77", Service.processTree(null, 77).name());
        assertEquals("container", ServiceKind.CONTAINER.jsonName());
        assertEquals("process-tree", ServiceKind.PROCESS_TREE.jsonName());
        assertEquals("systemd", ServiceKind.SYSTEMD.jsonName());
    }

    static Service unit(String name) {
        return new Service(name, ServiceKind.SYSTEMD, null, null, null, null);
    }

    static Service container(String runtime, String id, String pod) {
        return new Service(id.substring(0, 12), ServiceKind.CONTAINER, id, runtime, pod, null);
    }
}
