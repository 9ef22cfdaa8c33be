package io.lminspect.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A root filesystem of another Debian release (glibc 2.31 to sid), built once by
 * scripts/release-trees with debootstrap and cached under /var/cache/lminspect-test, and the
 * three ways the matrix runs a program from it: chroot in our mount namespace, its own mount
 * namespace after pivot_root, and (for the host's own release) the host itself.
 */
public record ReleaseTree(String name, Path root, String unavailable) {
    /** The matrix: what each release brings (glibc 2.31, 2.36, 2.41, newest; i386 2.31). */
    public static final List<String> NAMES = List.of("bullseye-amd64", "bookworm-amd64", "trixie-amd64", "sid-amd64", "bullseye-i386");

    private static Map<String, ReleaseTree> trees;

    /** Builds (first time: minutes) or finds every tree; a tree that cannot be had says why. */
    public static synchronized ReleaseTree of(String name) throws Exception {
        if (trees == null) trees = build();
        ReleaseTree t = trees.get(name);
        return t != null ? t : new ReleaseTree(name, null, "scripts/release-trees said nothing about it");
    }

    private static Map<String, ReleaseTree> build() throws Exception {
        Map<String, ReleaseTree> out = new LinkedHashMap<>();
        if (!Env.isRoot()) {
            for (String n : NAMES) out.put(n, new ReleaseTree(n, null, "debootstrap and chroot need root"));
            return out;
        }
        List<String> cmd = new ArrayList<>(List.of(Build.root().resolve("scripts/release-trees").toString()));
        cmd.addAll(NAMES);
        Cli.Result r = Cli.exec(cmd, 1800);
        for (String line : r.outLines()) {
            String[] p = line.split(" ", 3);
            if (p.length < 3) continue;
            out.put(p[0], p[1].equals("ready") ? new ReleaseTree(p[0], Path.of(p[2]), null) : new ReleaseTree(p[0], null, p[2]));
        }
        return out;
    }

    public String arch() {
        return name.substring(name.indexOf('-') + 1);
    }

    public String suite() {
        return name.substring(0, name.indexOf('-'));
    }

    /** The path inside the tree as the host sees it. */
    public Path host(String inside) {
        return root.resolve(inside.startsWith("/") ? inside.substring(1) : inside);
    }

    /** The command run chrooted into the tree (same mount namespace), with an unlimited core size. */
    public List<String> chroot(String... cmd) {
        return shell("exec chroot " + q(root.toString()) + " " + join(cmd));
    }

    /**
     * The command run in its own mount namespace whose root is the tree (pivot_root), as a
     * container runtime does it: /proc/PID/maps then names files as the process sees them.
     */
    public List<String> pivotRoot(String... cmd) {
        String r = q(root.toString());
        return List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "ulimit -c unlimited; mount --bind " + r + " " + r + " && cd " + r + " && mkdir -p .lmi-oldroot && pivot_root . .lmi-oldroot"
                        + " && exec chroot . " + join(cmd));
    }

    /**
     * The command in its own mount namespace whose root is an overlayfs over the tree (the tree
     * the lower layer, upper and work layers in dir), as docker and podman run a container.
     */
    public List<String> overlayRoot(Path dir, String... cmd) {
        String r = q(root.toString()), d = q(dir.toString());
        return List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "ulimit -c unlimited; mkdir -p " + d + "/upper " + d + "/work " + d + "/merged && mount -t overlay overlay -o lowerdir=" + r
                        + ",upperdir=" + d + "/upper,workdir=" + d + "/work " + d + "/merged && cd " + d + "/merged"
                        + " && mkdir -p .lmi-oldroot && pivot_root . .lmi-oldroot && exec chroot . " + join(cmd));
    }

    /** pldd of the tree's own glibc on pid (proc mounted in a private namespace, so nothing leaks). */
    public List<String> pldd(int pid) {
        String r = q(root.toString());
        return List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount -t proc proc " + r + "/proc && exec chroot " + r + " pldd " + pid);
    }

    /** The first regular file under the tree's library directories with this name (a soname link resolved). */
    public Path library(String fileName) throws Exception {
        for (String dir : new String[]{"lib", "usr/lib"}) {
            Path d = root.resolve(dir);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.walk(d, 3)) {
                for (Path p : (Iterable<Path>) s::iterator)
                    if (p.getFileName().toString().equals(fileName)) return p.toRealPath();
            }
        }
        throw new IllegalStateException(fileName + " not found in " + root);
    }

    private static List<String> shell(String script) {
        return List.of("sh", "-c", "ulimit -c unlimited; " + script);
    }

    private static String join(String... cmd) {
        StringBuilder b = new StringBuilder();
        for (String c : cmd) b.append(b.length() == 0 ? "" : " ").append(q(c));
        return b.toString();
    }

    static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
