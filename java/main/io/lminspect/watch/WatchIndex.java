package io.lminspect.watch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which processes map which files, by device and inode: per-process the set of files
 * and the hash of its last maps text, per-file a {@link WatchedFile}, and the ways an
 * event names a file (fanotify handle, directory handle + name, directory path + name).
 * Bounded: beyond {@link #MAX_FILES} files or {@link #MAX_PROCESSES} processes nothing
 * new is indexed (the watcher says so once). All methods are synchronized; callers
 * never stat or read while holding the lock.
 */
final class WatchIndex {
    static final int MAX_FILES = 200_000;
    static final int MAX_PROCESSES = 100_000;

    record Entry(long startTicks, long textHash, Set<FileKey> files) {}

    /** What applying one process's maps changed: the files seen for the first time, and whether its file set moved. */
    record Applied(List<WatchedFile> newFiles, boolean fileSetChanged) {}

    private final Map<Integer, Entry> procs = new HashMap<>();
    private final Map<FileKey, WatchedFile> files = new HashMap<>();
    private final Map<Fid, FileKey> byFid = new HashMap<>();
    private final Map<Fid, Set<String>> dirsByFid = new HashMap<>();
    private final Map<String, Map<String, Set<FileKey>>> byDir = new HashMap<>();
    private boolean full;

    synchronized Entry entry(int pid) {
        return procs.get(pid);
    }

    synchronized Set<Integer> pids() {
        return new HashSet<>(procs.keySet());
    }

    synchronized int processCount() {
        return procs.size();
    }

    synchronized int fileCount() {
        return files.size();
    }

    /** True once a limit was hit (reported once by the caller). */
    synchronized boolean full() {
        return full;
    }

    /** Same maps as last time: only the hash is refreshed (nothing to re-index). */
    synchronized void touch(int pid, long startTicks, long textHash) {
        Entry e = procs.get(pid);
        if (e != null && e.startTicks == startTicks) procs.put(pid, new Entry(startTicks, textHash, e.files));
    }

    synchronized Applied apply(ProcessMaps pm) {
        Entry old = procs.get(pm.pid());
        if (old != null && old.startTicks != pm.startTicks()) { // the PID was reused: the old process is gone
            drop(pm.pid(), old);
            old = null;
        }
        if (old == null && procs.size() >= MAX_PROCESSES) {
            full = true;
            return new Applied(List.of(), false);
        }
        List<WatchedFile> fresh = new ArrayList<>();
        Set<FileKey> keys = new HashSet<>();
        for (Map.Entry<FileKey, ProcessMaps.Use> e : pm.files().entrySet()) {
            ProcessMaps.Use u = e.getValue();
            WatchedFile f = files.get(e.getKey());
            if (f == null) {
                if (files.size() >= MAX_FILES) {
                    full = true;
                    continue;
                }
                f = new WatchedFile(e.getKey(), u.path());
                files.put(e.getKey(), f);
                addName(f);
                fresh.add(f);
            } else if (!u.deleted() && !u.path().equals(f.path) && f.users.keySet().stream().allMatch(p -> p == pm.pid())) {
                // renamed (maps follows the dentry): name it as its only user now does
                removeName(f);
                f.path = u.path();
                addName(f);
            }
            f.code |= u.executable();
            f.users.put(pm.pid(), u.mapFilesName());
            keys.add(e.getKey());
        }
        if (old != null) for (FileKey k : old.files) if (!keys.contains(k)) unuse(k, pm.pid());
        procs.put(pm.pid(), new Entry(pm.startTicks(), pm.textHash(), Set.copyOf(keys)));
        return new Applied(fresh, old == null || !old.files.equals(keys));
    }

    synchronized void remove(int pid) {
        Entry e = procs.get(pid);
        if (e != null) drop(pid, e);
    }

    private void drop(int pid, Entry e) {
        procs.remove(pid);
        for (FileKey k : e.files) unuse(k, pid);
    }

    private void unuse(FileKey k, int pid) {
        WatchedFile f = files.get(k);
        if (f == null) return;
        f.users.remove(pid);
        if (f.users.isEmpty()) {
            files.remove(k);
            removeName(f);
            if (f.fid != null) byFid.remove(f.fid);
            if (f.dirFid != null && !byDir.containsKey(f.dir())) { // the directory's last file: forget its handle too
                Set<String> ds = dirsByFid.get(f.dirFid);
                if (ds != null && ds.remove(f.dir()) && ds.isEmpty()) dirsByFid.remove(f.dirFid);
            }
        }
    }

    private void addName(WatchedFile f) {
        byDir.computeIfAbsent(f.dir(), d -> new HashMap<>()).computeIfAbsent(f.name(), n -> new HashSet<>()).add(f.key);
    }

    private void removeName(WatchedFile f) {
        Map<String, Set<FileKey>> names = byDir.get(f.dir());
        if (names == null) return;
        Set<FileKey> ks = names.get(f.name());
        if (ks != null) {
            ks.remove(f.key);
            if (ks.isEmpty()) names.remove(f.name());
        }
        if (names.isEmpty()) byDir.remove(f.dir());
    }

    synchronized void identify(FileKey k, Fid fid, Fid dirFid) {
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

    synchronized FileKey byFid(Fid fid) {
        return byFid.get(fid);
    }

    /** Files named dir/name (any namespace's dir of that path); every file of dir when name is null. */
    synchronized List<FileKey> byDirFid(Fid dirFid, String name) {
        Set<String> dirs = dirsByFid.get(dirFid);
        if (dirs == null) return List.of();
        List<FileKey> out = new ArrayList<>();
        for (String d : dirs) out.addAll(byDirPath(d, name));
        return out;
    }

    synchronized List<FileKey> byDirPath(String dir, String name) {
        Map<String, Set<FileKey>> names = byDir.get(dir);
        if (names == null) return List.of();
        if (name != null) {
            Set<FileKey> ks = names.get(name);
            return ks == null ? List.of() : List.copyOf(ks);
        }
        List<FileKey> out = new ArrayList<>();
        for (Set<FileKey> ks : names.values()) out.addAll(ks);
        return out;
    }

    /** A copy of what a probe needs, taken under the lock. */
    record View(FileKey key, String path, boolean code, Map<Integer, String> users, FileState baseline, boolean live) {}

    synchronized View view(FileKey k) {
        WatchedFile f = files.get(k);
        return f == null ? null : new View(k, f.path, f.code, new HashMap<>(f.users), f.baseline, f.live);
    }

    /** Every file, or (all false) only those no live source covers. */
    synchronized List<View> views(boolean all) {
        List<View> out = new ArrayList<>();
        for (WatchedFile f : files.values())
            if (all || !f.live) out.add(new View(f.key, f.path, f.code, new HashMap<>(f.users), f.baseline, f.live));
        return out;
    }

    synchronized void baseline(FileKey k, FileState s) {
        WatchedFile f = files.get(k);
        if (f != null) f.baseline = s;
    }

    /** inotifyDir: the directory watch ("dev:path") that covers the file, or null when fanotify (or nothing) does. */
    synchronized void live(FileKey k, boolean live, String inotifyDir) {
        WatchedFile f = files.get(k);
        if (f == null) return;
        f.live = live;
        f.inotifyDir = inotifyDir;
    }

    /** The directory watches some indexed file still needs. */
    synchronized Set<String> inotifyDirs() {
        Set<String> out = new HashSet<>();
        for (WatchedFile f : files.values()) if (f.inotifyDir != null) out.add(f.inotifyDir);
        return out;
    }
}
