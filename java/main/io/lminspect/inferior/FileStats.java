package io.lminspect.inferior;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a live process's files are stat-ed, chosen when the process is opened, and the one place
 * that decodes a stat. The checks ask about every mapped file by its inode (the map_files link)
 * and by its path; each answer is one snapshot for the inspection.
 * <ul>
 *   <li>a process inspected alone: on the first question, one native call for every map_files
 *       link and one for every path (a stat from Java costs a cold JVM ~85 µs, docs/benchmarks.md);</li>
 *   <li>a process of a scan: an inode's stat is every process's answer, shared by the scan
 *       (as old as the scan, like the parsed files it shares), and so is a path's for the
 *       processes that see the host's root ({@link ScanStats}); other paths are taken when asked.</li>
 * </ul>
 */
final class FileStats {
    private final LiveProcess process;
    /** A scan's stats of mapped inodes, shared by its processes (thread-safe); null for a process alone. */
    private final Map<FileId, FileFacts> shared;
    /** A scan's stats of paths, for a process that sees the host's root; null otherwise. */
    private final Map<String, Optional<FileFacts>> sharedPaths;
    private final Map<FileId, Optional<FileFacts>> mapped = new HashMap<>();
    private final Map<String, Optional<FileFacts>> paths = new HashMap<>();
    /** A process alone: its batch, taken on the first question. */
    private Map<FileId, Optional<FileFacts>> batchedLinks;
    private Map<String, Optional<FileFacts>> batchedNames;

    private FileStats(LiveProcess process, Map<FileId, FileFacts> shared, Map<String, Optional<FileFacts>> sharedPaths) {
        this.process = process;
        this.shared = shared;
        this.sharedPaths = sharedPaths;
    }

    static FileStats alone(LiveProcess p) {
        return new FileStats(p, null, null);
    }

    /** In a scan; the paths are shared only once the process is known to see the host's root (asked on first use). */
    static FileStats inScan(LiveProcess p, ScanStats scan) {
        return new FileStats(p, scan.inodes, scan.hostPaths);
    }

    /** The mapped inode itself as it is now (even deleted, even in another mount namespace); empty when unknown. */
    synchronized Optional<FileFacts> mapped(Mapping m) {
        if (!m.fileBacked()) return Optional.empty();
        FileFacts known = shared == null ? null : shared.get(m.fileId());
        if (known != null && known.path().equals(m.path())) return Optional.of(known); // the same inode under the same name
        return mapped.computeIfAbsent(m.fileId(), id -> {
            Optional<FileFacts> f = mappedNow(m);
            // only an answer about the mapped inode itself is every process's answer
            if (shared != null) f.ifPresent(x -> shared.putIfAbsent(id, x));
            return f;
        });
    }

    private Optional<FileFacts> mappedNow(Mapping m) {
        batch();
        Optional<FileFacts> f = batchedLinks == null ? null : batchedLinks.get(m.fileId());
        if (f == null) f = one(mapFilesLink(m), m.path(), true);
        if (f.isPresent() && f.get().sameInode(m.fileId())) return f;
        if (m.deleted()) return Optional.empty();
        Optional<FileFacts> byPath = path(process.processView(m.path()));
        return byPath.isPresent() && byPath.get().sameInode(m.fileId()) ? byPath : Optional.empty();
    }

    /** What an absolute path names today in the process's root; empty when it cannot be seen. */
    synchronized Optional<FileFacts> path(String path) {
        if (path == null || !path.startsWith("/") || !Mappings.exactPath(path)) return Optional.empty();
        Optional<FileFacts> known = paths.get(path);
        if (known != null) return known;
        boolean host = sharedPaths != null && process.hostRoot();
        Optional<FileFacts> f = host ? sharedPaths.get(path) : null;
        if (f == null) {
            f = pathNow(path);
            // an answer through a root that is gone (empty) is this process's alone
            if (host && f.isPresent()) sharedPaths.putIfAbsent(path, f);
        }
        paths.put(path, f);
        return f;
    }

    private Optional<FileFacts> pathNow(String path) {
        batch();
        Optional<FileFacts> f = batchedNames == null ? null : batchedNames.get(path);
        if (f == null) f = one(process.rootPath(path), path, false);
        // missing only while the target's root is still there: a process that exited takes its root along
        if (f.isPresent() && !f.get().exists() && !Files.exists(process.rootPath("/").resolve("."))) return Optional.empty();
        return f;
    }

    private Path mapFilesLink(Mapping m) {
        return ProcFs.proc(process.pid(), "map_files").resolve(m.mapFilesName());
    }

    /** A process alone: every map_files link and every path in two native calls, on the first question. */
    private void batch() {
        if (shared != null || batchedLinks != null) return;
        batchedLinks = new HashMap<>();
        batchedNames = new HashMap<>();
        NativeHelper h = NativeHelper.Holder.get();
        if (h == null) return;
        List<Mapping> files = new ArrayList<>();
        Set<FileId> seen = new HashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (Mapping m : process.mappings().all()) {
            if (!m.fileBacked() || !seen.add(m.fileId())) continue;
            files.add(m);
            if (!m.deleted() && Mappings.exactPath(m.path())) names.add(process.processView(m.path()));
        }
        List<String> links = new ArrayList<>(files.size()), linkNames = new ArrayList<>(files.size());
        for (Mapping m : files) {
            links.add(mapFilesLink(m).toString());
            linkNames.add(m.path());
        }
        Optional<FileFacts>[] byLink = many(h, links, linkNames, true);
        if (byLink != null) for (int i = 0; i < files.size(); i++) batchedLinks.put(files.get(i).fileId(), byLink[i]);
        List<String> named = new ArrayList<>(names), rooted = new ArrayList<>(names.size());
        for (String n : named) rooted.add(process.rootPath(n).toString());
        Optional<FileFacts>[] byName = many(h, rooted, named, false);
        if (byName != null) for (int i = 0; i < named.size(); i++) batchedNames.put(named.get(i), byName[i]);
    }

    /** Fields per path in lmh_stat_batch's answer (lmhelper.h, LMH_STAT_FIELDS). */
    static final int STAT_FIELDS = 9;

    /**
     * One native call for all paths (statx: the birth time and link count too); null when the
     * helper answers otherwise (an older or mocked one). shownAs: each path as the facts name it.
     */
    @SuppressWarnings("unchecked")
    static Optional<FileFacts>[] many(NativeHelper h, List<String> paths, List<String> shownAs, boolean follow) {
        int n = paths.size();
        if (n == 0) return null;
        byte[][] encoded = new byte[n][];
        int total = 0;
        for (int i = 0; i < n; i++) {
            encoded[i] = paths.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            total += encoded[i].length + 1;
        }
        byte[] buf = new byte[total];
        int[] offsets = new int[n];
        for (int i = 0, at = 0; i < n; i++) {
            offsets[i] = at;
            System.arraycopy(encoded[i], 0, buf, at, encoded[i].length);
            at += encoded[i].length + 1; // the NUL is the array's zero
        }
        long[] out = new long[STAT_FIELDS * n];
        if (h.lmh_stat_batch(buf, offsets, n, follow ? 1 : 0, out) != n) return null;
        Optional<FileFacts>[] facts = new Optional[n];
        for (int i = 0; i < n; i++) facts[i] = decode(out, STAT_FIELDS * i, shownAs.get(i));
        return facts;
    }

    /** The helper's stat record at o: errno, dev, ino, mode, size, mtime, ctime (ns), nlink, birth (ns or -1). */
    private static Optional<FileFacts> decode(long[] out, int o, String shown) {
        if (out[o] != 0) return out[o] == Errno.ENOENT ? Optional.of(FileFacts.missing(shown)) : Optional.empty();
        return Optional.of(new FileFacts(shown, true, (out[o + 3] & 0170000) == 0100000, new FileId(out[o + 1], out[o + 2]),
                out[o + 4], Math.floorDiv(out[o + 5], 1_000_000L), Math.floorDiv(out[o + 6], 1_000_000L),
                out[o + 7], out[o + 8] < 0 ? -1 : Math.floorDiv(out[o + 8], 1_000_000L)));
    }

    /** One stat: through the helper when it is there, else from Java (no birth time: JDK 17 does not use statx). */
    static Optional<FileFacts> one(Path p, String path, boolean followMagicLink) {
        NativeHelper h = NativeHelper.Holder.get();
        if (h != null) {
            Optional<FileFacts>[] r = many(h, List.of(p.toString()), List.of(path), followMagicLink);
            if (r != null) return r[0];
        }
        try {
            LinkOption[] opts = followMagicLink ? new LinkOption[0] : new LinkOption[]{LinkOption.NOFOLLOW_LINKS};
            Map<String, Object> a = Files.readAttributes(p, "unix:ino,dev,mode,size,lastModifiedTime,ctime,nlink", opts);
            int mode = (Integer) a.get("mode");
            return Optional.of(new FileFacts(path, true, (mode & 0170000) == 0100000, FileId.of(a),
                    (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toMillis(), ((FileTime) a.get("ctime")).toMillis(),
                    ((Integer) a.get("nlink")).longValue(), -1));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.of(FileFacts.missing(path));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
