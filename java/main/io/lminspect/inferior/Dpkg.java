package io.lminspect.inferior;

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
 * more memory than all its processes. A file over MAX_FILE_BYTES, or one that cannot be read,
 * answers nothing.
 */
public final class Dpkg implements PackageDatabase {
    /**
     * Databases asked in this run, by the root directory's identity: every process that sees the
     * host's "/" (through its own /proc/PID/root) shares one, so a host scan reads dpkg's lists once
     * per question, not once per process. The last 64 roots are kept.
     */
    private static final Map<Object, Answers> AT = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Answers> e) {
            return size() > 64;
        }
    };

    /** What one root's database said, shared by every path that leads to that root, and the state of dpkg's files it said it in. */
    private static final class Answers {
        final Map<String, Optional<PackageInfo>> byPath = new HashMap<>();
        /** Owners alone (no status or log read): what "is this deleted library a package's" needs. */
        final Map<String, Optional<String>> owners = new HashMap<>();
        /** A package's version and last change: libc's and ld.so's groups name the same package. */
        final Map<String, PackageInfo> byPackage = new HashMap<>();
        String stamp = "";
    }

    /** Where this caller reaches the root (a process's /proc/PID/root dies with it: each caller reads through its own). */
    private final Path root;
    private final Answers answers;

    private Dpkg(Path root, Answers answers) {
        this.root = root;
        this.answers = answers;
    }

    public static synchronized Dpkg at(Path root) {
        Object key;
        try {
            key = FileId.of(Files.readAttributes(root, "unix:dev,ino")); // /proc/PID/root followed to the directory itself
        } catch (IOException | RuntimeException e) {
            key = root;
        }
        return new Dpkg(root, AT.computeIfAbsent(key, k -> new Answers()));
    }

    @Override
    public Optional<PackageInfo> about(String path) {
        synchronized (answers) {
            refresh();
            Optional<PackageInfo> known = answers.byPath.get(path);
            if (known != null) return known;
            Optional<PackageInfo> found = ownerOf(path).map(pkg -> {
                PackageInfo i = answers.byPackage.get(pkg);
                if (i == null) {
                    i = info(pkg);
                    if (kept()) answers.byPackage.put(pkg, i);
                }
                return i;
            });
            if (kept()) answers.byPath.put(path, found);
            return found;
        }
    }

    /** Whether a package owns the path: its file lists only (status and log, megabytes in a container's root, are not read). */
    public boolean owns(String path) {
        synchronized (answers) {
            refresh();
            return ownerOf(path).isPresent();
        }
    }

    /** Searches the lists once for all the paths whose owner is not known yet (a scan's groups: ld.so, libc, ...). */
    @Override
    public void expect(java.util.Collection<String> paths) {
        synchronized (answers) {
            refresh();
            List<String> unknown = paths.stream().filter(java.util.Objects::nonNull).distinct().filter(p -> !answers.owners.containsKey(p)).toList();
            if (unknown.size() < 2) return; // one path: about() searches for it alone, as fast
            Map<String, String> found = owners(unknown);
            if (!kept()) return;
            for (String p : unknown) answers.owners.put(p, Optional.ofNullable(found.get(p)));
        }
    }

    /** The owner of path, searched once while dpkg's files are unchanged. Holds the lock. */
    private Optional<String> ownerOf(String path) {
        Optional<String> known = answers.owners.get(path);
        if (known != null) return known;
        Optional<String> found = Optional.ofNullable(owner(path));
        if (kept()) answers.owners.put(path, found);
        return found;
    }

    /** Whether an answer is everybody's: one read through a root that vanished meanwhile (its process exited) is this caller's alone. */
    private boolean kept() {
        return Files.isDirectory(root.resolve("var/lib/dpkg/info"), LinkOption.NOFOLLOW_LINKS);
    }

    /** A long-running watch outlives updates: answers stand only while dpkg's status and log are unchanged. Holds the lock. */
    private void refresh() {
        String now = stamp(root.resolve("var/lib/dpkg/status")) + "/" + stamp(root.resolve("var/log/dpkg.log"));
        if (!now.equals(answers.stamp)) {
            answers.byPath.clear();
            answers.owners.clear();
            answers.byPackage.clear();
            answers.stamp = now;
        }
    }

    private static String stamp(Path p) {
        try {
            var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.lastModifiedTime().toMillis() + ":" + a.size();
        } catch (IOException | RuntimeException e) {
            return "-";
        }
    }

    /** The package's installed version (status) and its last install or upgrade (the log). */
    private PackageInfo info(String pkg) {
        // status: the package's stanza, then its Version: line (the file is searched, not split: it is megabytes)
        String version = null;
        String status = text(root.resolve("var/lib/dpkg/status"));
        int at = status.indexOf("\nPackage: " + pkg + "\n");
        if (at < 0 && status.startsWith("Package: " + pkg + "\n")) at = 0;
        if (at >= 0) {
            int end = status.indexOf("\n\n", at + 1);
            int v = status.indexOf("\nVersion: ", at + 1);
            if (v >= 0 && (end < 0 || v < end)) version = status.substring(v + 10, status.indexOf('\n', v + 10) < 0 ? status.length() : status.indexOf('\n', v + 10)).strip();
        }
        // the log, oldest first so the newest line wins: "2026-12-03 07:20:11 upgrade libssl3:amd64 3.0.15-1~deb12u1 3.0.17-1~deb12u2"
        String[] change = null;
        for (String log : List.of("var/log/dpkg.log.1", "var/log/dpkg.log")) {
            String t = text(root.resolve(log));
            int last = -1;
            for (String verb : List.of(" upgrade ", " install ")) last = Math.max(last, t.lastIndexOf(verb + pkg + ":"));
            if (last < 0) continue; // the later file's last line wins; within a file, the last line
            int start = t.lastIndexOf('\n', last) + 1, end = t.indexOf('\n', last);
            String[] f = t.substring(start, end < 0 ? t.length() : end).split(" ");
            if (f.length == 6) change = new String[]{f[0] + " " + f[1], f[4], f[5]};
        }
        return new PackageInfo(pkg, version, change == null ? null : change[0],
                change == null || change[1].equals("<none>") ? null : change[1], change == null ? null : change[2]);
    }

    /** A file of dpkg's as text (bytes as Latin-1: searched, never shown as is), empty when it cannot be read or is too large. */
    private static String text(Path p) {
        return new String(bytes(p), StandardCharsets.ISO_8859_1);
    }

    /** A file of dpkg's longer than this is not read (a large host's status file is ~10 MB; a container's root is not trusted). */
    private static final int MAX_FILE_BYTES = 32 << 20;

    /**
     * The package whose file list names the path (or its merged-/usr twin), or null. Each list is
     * searched whole as bytes (a line "\n/path\n"), not split into lines: a host has a thousand
     * lists and a hundred thousand paths.
     */
    private String owner(String path) {
        return owners(List.of(path)).get(path);
    }

    /** The owners found for paths, each path's list searched for every alias of it; one pass over the lists. */
    private Map<String, String> owners(List<String> paths) {
        Map<String, String> out = new HashMap<>();
        Path info = root.resolve("var/lib/dpkg/info");
        if (!Files.isDirectory(info, LinkOption.NOFOLLOW_LINKS)) return out;
        Map<String, List<byte[]>> wanted = new java.util.LinkedHashMap<>();
        for (String path : paths) {
            List<byte[]> lines = new java.util.ArrayList<>();
            for (String a : PackageOwners.aliases(path)) lines.add((a + "\n").getBytes(StandardCharsets.UTF_8));
            wanted.put(path, lines);
        }
        // a filter, not the "*.list" glob: the glob is a regex matched per name
        List<String> names = new java.util.ArrayList<>();
        try (DirectoryStream<Path> lists = Files.newDirectoryStream(info, f -> f.getFileName().toString().endsWith(".list"))) {
            for (Path list : lists) names.add(list.getFileName().toString());
            // likely owners first (libssl.so.3 -> libssl3.list, libc.so.6 -> libc6:amd64.list, which also lists ld.so):
            // an owned library is then found after a few lists, not a thousand; an unowned path still reads them all
            List<String> stems = paths.stream().map(Dpkg::stem).filter(java.util.Objects::nonNull).toList();
            names.sort(java.util.Comparator.comparing((String n) -> stems.stream().noneMatch(n::startsWith)));
            for (String name : names) {
                // a list removed or unreadable meanwhile (a package purged during the scan) says nothing: the next one may
                byte[] text = bytes(info.resolve(name));
                if (text.length == 0) continue;
                for (var it = wanted.entrySet().iterator(); it.hasNext(); ) {
                    var w = it.next();
                    if (w.getValue().stream().noneMatch(line -> listsLine(text, line))) continue;
                    out.put(w.getKey(), unqualified(name.substring(0, name.length() - ".list".length())));
                    it.remove();
                }
                if (wanted.isEmpty()) break;
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /** The file name before ".so" (libssl.so.3 -> libssl), the start of its package's name as Debian names library packages; null if too short to say. */
    static String stem(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int so = name.indexOf(".so");
        String stem = so > 0 ? name.substring(0, so) : name;
        return stem.length() >= 3 ? stem : null;
    }

    /** A file of dpkg's as bytes, empty when it cannot be read or is too large. */
    private static byte[] bytes(Path p) {
        try {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) > MAX_FILE_BYTES) return new byte[0];
            return Files.readAllBytes(p);
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    /**
     * Whether text has line (given with its "\n") as a whole line; the last line may lack its "\n".
     * Boyer-Moore-Horspool: a path of 40 bytes is found in a megabyte of lists in ~25,000 steps,
     * where String.contains under C1 compared every byte (~140 ms for a host's lists).
     */
    static boolean listsLine(byte[] text, byte[] line) {
        int m = line.length;
        if (m == 0) return false;
        int[] skip = new int[256];
        java.util.Arrays.fill(skip, m);
        for (int i = 0; i < m - 1; i++) skip[line[i] & 0xff] = m - 1 - i;
        for (int at = 0; at + m <= text.length; at += skip[text[at + m - 1] & 0xff]) {
            if (lineStart(text, at) && java.util.Arrays.equals(text, at, at + m, line, 0, m)) return true;
        }
        // the last line without its newline
        int tail = text.length - (m - 1);
        return tail >= 0 && lineStart(text, tail) && java.util.Arrays.equals(text, tail, text.length, line, 0, m - 1);
    }

    private static boolean lineStart(byte[] text, int at) {
        return at == 0 || text[at - 1] == '\n';
    }

    private static String unqualified(String pkg) {
        int colon = pkg.indexOf(':');
        return colon > 0 ? pkg.substring(0, colon) : pkg;
    }

}
