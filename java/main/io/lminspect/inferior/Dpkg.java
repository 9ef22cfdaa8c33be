package io.lminspect.inferior;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * dpkg's database under a root (the host's "/", or a target's /proc/PID/root): the owner of a
 * path from var/lib/dpkg/info/*.list, its version from var/lib/dpkg/status, and its last
 * install or upgrade from var/log/dpkg.log (then dpkg.log.1: the rotated ones are gzipped and
 * older). Read per question and the answers kept: a scan asks about the few files it found
 * replaced or rewritten, and holding every list of a host (200,000 paths) would cost a scan
 * more memory than all its processes. Over-long lines are skipped; an unreadable file answers
 * nothing.
 */
public final class Dpkg implements PackageDatabase {
    private static final int MAX_LINE = 64 * 1024;
    /** Databases asked in this run, by root (each process's /proc/PID/root is one): the last 64 kept. */
    private static final Map<Path, Dpkg> AT = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Dpkg> e) {
            return size() > 64;
        }
    };

    private final Path root;
    private final Map<String, Optional<PackageInfo>> answers = new HashMap<>();

    private Dpkg(Path root) {
        this.root = root;
    }

    public static synchronized Dpkg at(Path root) {
        return AT.computeIfAbsent(root, Dpkg::new);
    }

    private String stamp = "";

    @Override
    public synchronized Optional<PackageInfo> about(String path) {
        // a long-running watch outlives updates: answers stand only while dpkg's status and log are unchanged
        String now = stamp(root.resolve("var/lib/dpkg/status")) + "/" + stamp(root.resolve("var/log/dpkg.log"));
        if (!now.equals(stamp)) {
            answers.clear();
            stamp = now;
        }
        return answers.computeIfAbsent(path, this::search);
    }

    private static String stamp(Path p) {
        try {
            var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.lastModifiedTime().toMillis() + ":" + a.size();
        } catch (IOException | RuntimeException e) {
            return "-";
        }
    }

    private Optional<PackageInfo> search(String path) {
        String pkg = owner(path);
        if (pkg == null) return Optional.empty();
        String version = null, current = null;
        for (String line : lines(root.resolve("var/lib/dpkg/status"))) {
            if (line.startsWith("Package: ")) current = line.substring(9).strip();
            else if (line.startsWith("Version: ") && pkg.equals(current)) version = line.substring(9).strip();
        }
        String[] change = null;
        // oldest first, so the newest line wins: 2026-12-03 07:20:11 upgrade libssl3:amd64 3.0.15-1~deb12u1 3.0.17-1~deb12u2
        for (String log : List.of("var/log/dpkg.log.1", "var/log/dpkg.log")) {
            for (String line : lines(root.resolve(log))) {
                String[] f = line.split(" ");
                if (f.length == 6 && (f[2].equals("upgrade") || f[2].equals("install")) && unqualified(f[3]).equals(pkg))
                    change = new String[]{f[0] + " " + f[1], f[4], f[5]};
            }
        }
        return Optional.of(new PackageInfo(pkg, version, change == null ? null : change[0],
                change == null || change[1].equals("<none>") ? null : change[1], change == null ? null : change[2]));
    }

    /** The package whose file list names the path (or its merged-/usr twin), or null. */
    private String owner(String path) {
        Path info = root.resolve("var/lib/dpkg/info");
        if (!Files.isDirectory(info, LinkOption.NOFOLLOW_LINKS)) return null;
        List<String> wanted = PackageOwners.aliases(path);
        try (DirectoryStream<Path> lists = Files.newDirectoryStream(info, "*.list")) {
            for (Path list : lists) {
                if (!Files.isRegularFile(list, LinkOption.NOFOLLOW_LINKS)) continue;
                for (String line : lines(list)) {
                    if (!wanted.contains(line)) continue;
                    String name = list.getFileName().toString();
                    return unqualified(name.substring(0, name.length() - ".list".length()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String unqualified(String pkg) {
        int colon = pkg.indexOf(':');
        return colon > 0 ? pkg.substring(0, colon) : pkg;
    }

    private static List<String> lines(Path p) {
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return List.of();
        List<String> out = new java.util.ArrayList<>();
        // a reader that replaces bytes that are not UTF-8 (a list's path as a process's maps decodes it)
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) if (l.length() <= MAX_LINE) out.add(l);
        } catch (IOException | RuntimeException e) {
            // unreadable: what was read stands
        }
        return out;
    }
}
