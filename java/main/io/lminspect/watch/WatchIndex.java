package io.lminspect.watch;

import io.lminspect.host.HostMaps;
import io.lminspect.inferior.FileId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watch's view of the host index ({@link HostMaps}: which processes map which
 * files), with what only the watch needs per file: the ways an event names it
 * (fanotify handle, directory handle + name, directory path + name), whether a live
 * source covers it, and what its path showed when last looked at. Every method holds
 * the host index's lock (one lock for both); callers never stat or read while holding it.
 */
final class WatchIndex {
    private final Map<FileId, WatchedFile> files = new HashMap<>();
    private final Map<Fid, FileId> byFid = new HashMap<>();
    private final Map<Fid, Set<String>> dirsByFid = new HashMap<>();
    private final Map<String, Map<String, Set<FileId>>> byDir = new HashMap<>();
    private final HostMaps maps = HostMaps.everyFile(new HostMaps.Listener() {
        @Override
        public void added(FileId k, String path) {
            WatchedFile f = new WatchedFile(k, path);
            files.put(k, f);
            addName(f);
        }

        @Override
        public void renamed(FileId k, String from, String to) {
            WatchedFile f = files.get(k);
            if (f == null) return;
            removeName(f);
            f.path = to;
            addName(f);
        }

        @Override
        public void removed(FileId k, String path) {
            WatchedFile f = files.remove(k);
            if (f != null) forget(f);
        }
    });

    /** Re-reads the host's maps (see {@link HostMaps#refresh}); the files seen for the first time come back to be covered. */
    HostMaps.Refresh refresh(boolean full) {
        return maps.refresh(full);
    }

    /** Indexes one process's maps by hand (tests). */
    HostMaps.Applied apply(HostMaps.ProcessMaps pm) {
        return maps.apply(pm);
    }

    void remove(int pid) {
        maps.remove(pid);
    }

    Set<Integer> pids() {
        return maps.pids();
    }

    Set<FileId> files(int pid) {
        return maps.files(pid);
    }

    int processCount() {
        return maps.processCount();
    }

    int fileCount() {
        return maps.fileCount();
    }

    /** True once a limit was hit (reported once by the caller). */
    boolean full() {
        return maps.full();
    }

    private void forget(WatchedFile f) {
        removeName(f);
        if (f.fid != null) byFid.remove(f.fid);
        if (f.dirFid != null && !byDir.containsKey(f.dir())) { // the directory's last file: forget its handle too
            Set<String> ds = dirsByFid.get(f.dirFid);
            if (ds != null && ds.remove(f.dir()) && ds.isEmpty()) dirsByFid.remove(f.dirFid);
        }
    }

    private void addName(WatchedFile f) {
        byDir.computeIfAbsent(f.dir(), d -> new HashMap<>()).computeIfAbsent(f.name(), n -> new HashSet<>()).add(f.key);
    }

    private void removeName(WatchedFile f) {
        Map<String, Set<FileId>> names = byDir.get(f.dir());
        if (names == null) return;
        Set<FileId> ks = names.get(f.name());
        if (ks != null) {
            ks.remove(f.key);
            if (ks.isEmpty()) names.remove(f.name());
        }
        if (names.isEmpty()) byDir.remove(f.dir());
    }

    void identify(FileId k, Fid fid, Fid dirFid) {
        synchronized (maps) {
            WatchedFile f = files.get(k);
            if (f == null) return;
            if (fid != null) {
                f.fid = fid;
                byFid.put(fid, k);
            }
            if (dirFid != null) {
                f.dirFid = dirFid;
                dirsByFid.computeIfAbsent(dirFid, d -> new HashSet<>()).add(f.dir());
            }
        }
    }

    FileId byFid(Fid fid) {
        synchronized (maps) {
            return byFid.get(fid);
        }
    }

    /** Files named dir/name (any namespace's dir of that path); every file of dir when name is null. */
    List<FileId> byDirFid(Fid dirFid, String name) {
        synchronized (maps) {
            Set<String> dirs = dirsByFid.get(dirFid);
            if (dirs == null) return List.of();
            List<FileId> out = new ArrayList<>();
            for (String d : dirs) out.addAll(byDirPath(d, name));
            return out;
        }
    }

    List<FileId> byDirPath(String dir, String name) {
        synchronized (maps) {
            Map<String, Set<FileId>> names = byDir.get(dir);
            if (names == null) return List.of();
            if (name != null) {
                Set<FileId> ks = names.get(name);
                return ks == null ? List.of() : List.copyOf(ks);
            }
            List<FileId> out = new ArrayList<>();
            for (Set<FileId> ks : names.values()) out.addAll(ks);
            return out;
        }
    }

    private View view(WatchedFile f) {
        Map<Integer, String> users = new HashMap<>();
        for (Map.Entry<Integer, List<String>> u : maps.users(f.key).entrySet()) users.put(u.getKey(), u.getValue().get(0));
        return new View(f.key, f.path, maps.code(f.key), users, f.baseline, f.live);
    }

    /** A copy of what a probe needs, taken under the lock: users are pid -> a mapping's map_files name. */
    record View(FileId key, String path, boolean code, Map<Integer, String> users, FileState baseline, boolean live) {}

    View view(FileId k) {
        synchronized (maps) {
            WatchedFile f = files.get(k);
            return f == null ? null : view(f);
        }
    }

    /** Every file, or (all false) only those no live source covers. */
    List<View> views(boolean all) {
        synchronized (maps) {
            List<View> out = new ArrayList<>();
            for (WatchedFile f : files.values())
                if (all || !f.live) out.add(view(f));
            return out;
        }
    }

    void baseline(FileId k, FileState s) {
        synchronized (maps) {
            WatchedFile f = files.get(k);
            if (f != null) f.baseline = s;
        }
    }

    /** inotifyDir: the directory watch ("dev:path") that covers the file, or null when fanotify (or nothing) does. */
    void live(FileId k, boolean live, String inotifyDir) {
        synchronized (maps) {
            WatchedFile f = files.get(k);
            if (f == null) return;
            f.live = live;
            f.inotifyDir = inotifyDir;
        }
    }

    /** The directory watches some indexed file still needs. */
    Set<String> inotifyDirs() {
        synchronized (maps) {
            Set<String> out = new HashSet<>();
            for (WatchedFile f : files.values()) if (f.inotifyDir != null) out.add(f.inotifyDir);
            return out;
        }
    }
}
