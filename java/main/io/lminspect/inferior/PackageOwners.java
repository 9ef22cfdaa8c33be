package io.lminspect.inferior;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a package owns a path, from dpkg's file lists (var/lib/dpkg/info/*.list) under a
 * root the caller names (the target's /proc/PID/root, so a container's own packages count).
 * Asked only for a deleted library still loaded, to decide whether "reinstall the package"
 * is advice that can be followed; the lists are read on demand and the answers kept.
 * Debian's merged /usr means a list may name /lib/… for /usr/lib/… and the other way round.
 */
public final class PackageOwners {
    private static final Map<String, Boolean> ANSWERS = new ConcurrentHashMap<>();

    private PackageOwners() {}

    /** True when a dpkg file list under root names the path (or its merged-/usr alias); false when none does or there is no dpkg. */
    public static boolean owned(Path root, String path) {
        return ANSWERS.computeIfAbsent(root + "\0" + path, k -> search(root, path));
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

    private static boolean search(Path root, String path) {
        Path info = root.resolve("var/lib/dpkg/info");
        if (!Files.isDirectory(info, LinkOption.NOFOLLOW_LINKS)) return false;
        List<String> wanted = aliases(path);
        try (DirectoryStream<Path> lists = Files.newDirectoryStream(info, "*.list")) {
            for (Path list : lists) {
                if (!Files.isRegularFile(list, LinkOption.NOFOLLOW_LINKS)) continue;
                try (BufferedReader r = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
                    for (String line; (line = r.readLine()) != null; ) if (wanted.contains(line)) return true;
                } catch (IOException | RuntimeException e) {
                    // an unreadable list says nothing either way
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
