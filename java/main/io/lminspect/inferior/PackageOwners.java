package io.lminspect.inferior;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a package owns a path, from dpkg's file lists (var/lib/dpkg/info/*.list) under a
 * root the caller names (the target's /proc/PID/root, so a container's own packages count).
 * Asked only for a deleted library still loaded, to decide whether "reinstall the package"
 * is advice that can be followed; the lists are read on demand and the answers kept.
 * Debian's merged /usr means a list may name /lib/… for /usr/lib/… and the other way round.
 */
public final class PackageOwners {
    private PackageOwners() {}

    /** True when a dpkg file list under root names the path (or its merged-/usr alias); false when none does or there is no dpkg. */
    public static boolean owned(Path root, String path) {
        return Dpkg.at(root).owns(path);
    }

    /** The path and its merged-/usr twin (/lib/… and /usr/lib/…): a process or a package list may name either. */
    public static List<String> aliases(String path) {
        List<String> out = new ArrayList<>(List.of(path));
        for (String top : new String[]{"/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin"}) {
            if (path.startsWith(top + "/")) out.add("/usr" + path);
            if (path.startsWith("/usr" + top + "/")) out.add(path.substring(4));
        }
        return out;
    }
}
