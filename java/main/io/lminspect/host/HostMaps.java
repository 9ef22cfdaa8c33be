package io.lminspect.host;

import io.lminspect.check.MappedFile;
import io.lminspect.inferior.FileId;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Mappings;
import io.lminspect.inferior.ProcFs;
import io.lminspect.inferior.ProcessStart;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * Which processes map which files, by device and inode: the one host index behind
 * who-maps (built once, for the files asked about) and watch (kept current by
 * refreshes, for every real file). Read from /proc/PID/stat and /proc/PID/maps only —
 * never smaps or pagemap, which stall big processes (rule 5). A refresh re-parses only
 * the processes that are new or whose maps text changed, and a PID whose start time
 * changed meanwhile is a new process ({@link ProcessStart}): one process's maps are
 * never indexed under another's.
 *
 * <p>Bounded: beyond {@link #MAX_FILES} files or {@link #MAX_PROCESSES} processes
 * nothing new is indexed ({@link #full()}). Thread-safe: every method holds this
 * object's lock, and /proc is read outside it; a user that keeps per-file state of its
 * own (watch) takes the same lock, and hears of files coming and going through a
 * {@link Listener} called under it.
 */
public final class HostMaps {
    public static final int MAX_FILES = 200_000;
    public static final int MAX_PROCESSES = 100_000;

    /** How one process maps one file: the path it names it by, and its mappings' ranges as /proc/PID/map_files names them ("7f0a…-7f0b…"). */
    public record Use(String path, boolean deleted, boolean executable, List<String> ranges) {}

    /** What one process maps, as a refresh read it. */
    public record ProcessMaps(int pid, long startTicks, long textHash, Map<FileId, Use> files) {}

    /** Told of files as the index gains, renames and loses them; called under the index's lock. */
    public interface Listener {
        default void added(FileId file, String path) {}

        default void renamed(FileId file, String from, String to) {}

        default void removed(FileId file, String path) {}
    }

    /** What a refresh changed: files seen for the first time, processes whose file set moved, processes gone; and the processes it could not read. */
    public record Refresh(List<FileId> newFiles, Set<Integer> changed, Set<Integer> gone, int unread, String unreadReason) {}

    private record Entry(long startTicks, long textHash, Set<FileId> files) {}

    /** Per file: the path its users name it by, whether any executes it, and per user its ranges. */
    private static final class Users {
        String path;
        boolean code;
        final Map<Integer, List<String>> ranges = new HashMap<>();

        Users(String path) {
            this.path = path;
        }
    }

    private final Predicate<Mapping> keep;
    private final boolean allRanges;
    private final Listener listener;
    private final int self = (int) ProcessHandle.current().pid();
    private final Map<Integer, Entry> procs = new HashMap<>();
    private final Map<FileId, Users> files = new HashMap<>();
    private boolean full;

    private HostMaps(Predicate<Mapping> keep, boolean allRanges, Listener listener) {
        this.keep = keep;
        this.allRanges = allRanges;
        this.listener = listener;
    }

    /** For watch: every real file (not memfd, SysV shm, devices, huge pages), one range per user (what map_files needs). */
    public static HostMaps everyFile(Listener listener) {
        return new HostMaps(m -> !MappedFile.pseudo(m.path()), false, listener);
    }

    /** For who-maps: only these files, with every range of every user. */
    public static HostMaps ofFiles(Set<FileId> only) {
        return new HostMaps(m -> only.contains(m.fileId()), true, new Listener() {});
    }

    /**
     * Reads every process's maps (our own excepted); full re-parses even unchanged ones.
     * Processes that exited, or whose PID now names another process, are dropped first,
     * so an inode number freed by one and reused by another never keeps the old file's name.
     */
    public Refresh refresh(boolean full) {
        Map<Integer, ProcessStart> now = new HashMap<>();
        int unread = 0;
        String unreadReason = null;
        for (int pid : ProcessList.all()) {
            if (pid == self) continue;
            ProcessStart.of(pid).ifPresent(s -> now.put(s.pid(), s));
        }
        Set<Integer> gone = dropExited(now);
        List<FileId> fresh = new ArrayList<>();
        Set<Integer> changed = new HashSet<>();
        for (ProcessStart p : now.values()) {
            byte[] text;
            try {
                text = ProcFs.readBytes(p.pid(), "maps");
            } catch (InspectException e) {
                if (e.failure() != Failure.NO_SUCH_PROCESS && e.failure() != Failure.PROCESS_EXITED) {
                    unread++; // not ours to read (rule 4): the answer does not cover it
                    if (unreadReason == null) unreadReason = e.getMessage();
                }
                if (remove(p.pid())) gone.add(p.pid());
                continue;
            }
            if (text.length == 0) continue; // a zombie: no address space left
            long hash = hash(text);
            if (!full && unchanged(p, hash)) continue;
            Map<FileId, Use> uses = uses(text);
            if (!p.stillRunning()) continue; // the PID was reused while its maps were read
            Applied a = apply(new ProcessMaps(p.pid(), p.startTicks(), hash, uses));
            fresh.addAll(a.newFiles());
            if (a.fileSetChanged() || full) changed.add(p.pid());
        }
        return new Refresh(fresh, changed, gone, unread, unreadReason);
    }

    private synchronized Set<Integer> dropExited(Map<Integer, ProcessStart> now) {
        Set<Integer> gone = new HashSet<>();
        for (Map.Entry<Integer, Entry> e : new ArrayList<>(procs.entrySet())) {
            ProcessStart s = now.get(e.getKey());
            if (s != null && s.startTicks() == e.getValue().startTicks) continue;
            drop(e.getKey(), e.getValue());
            gone.add(e.getKey());
        }
        return gone;
    }

    private synchronized boolean unchanged(ProcessStart p, long hash) {
        Entry e = procs.get(p.pid());
        return e != null && e.startTicks == p.startTicks() && e.textHash == hash;
    }

    private static long hash(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b);
        return crc.getValue() << 32 | b.length;
    }

    /** The files of a maps text, one entry per inode; a malformed text gives nothing rather than half an index. */
    private Map<FileId, Use> uses(byte[] text) {
        Mappings maps;
        try {
            maps = Mappings.parseProcMaps(text);
        } catch (InspectException e) {
            return Map.of();
        }
        Map<FileId, Use> out = new HashMap<>();
        for (Mapping m : maps.all()) {
            if (!m.fileBacked() || !keep.test(m)) continue;
            FileId k = m.fileId();
            Use u = out.get(k);
            if (u == null) {
                out.put(k, new Use(m.path(), m.deleted(), m.executable(), allRanges ? new ArrayList<>(List.of(m.mapFilesName())) : List.of(m.mapFilesName())));
            } else {
                if (allRanges) u.ranges().add(m.mapFilesName());
                if (m.executable() && !u.executable()) out.put(k, new Use(u.path(), u.deleted(), true, u.ranges()));
            }
        }
        return out;
    }

    /** What applying one process's maps changed. */
    public record Applied(List<FileId> newFiles, boolean fileSetChanged) {}

    /** Indexes one process's maps (replacing what it mapped before). Public for tests that build an index by hand. */
    public synchronized Applied apply(ProcessMaps pm) {
        Entry old = procs.get(pm.pid());
        if (old != null && old.startTicks != pm.startTicks()) { // the PID was reused: the old process is gone
            drop(pm.pid(), old);
            old = null;
        }
        if (old == null && procs.size() >= MAX_PROCESSES) {
            full = true;
            return new Applied(List.of(), false);
        }
        List<FileId> fresh = new ArrayList<>();
        Set<FileId> keys = new HashSet<>();
        for (Map.Entry<FileId, Use> e : pm.files().entrySet()) {
            Use u = e.getValue();
            Users f = files.get(e.getKey());
            if (f == null) {
                if (files.size() >= MAX_FILES) {
                    full = true;
                    continue;
                }
                f = new Users(u.path());
                files.put(e.getKey(), f);
                listener.added(e.getKey(), u.path());
                fresh.add(e.getKey());
            } else if (!u.deleted() && !u.path().equals(f.path) && f.ranges.keySet().stream().allMatch(p -> p == pm.pid())) {
                // renamed (maps follows the dentry): name it as its only user now does
                String from = f.path;
                f.path = u.path();
                listener.renamed(e.getKey(), from, u.path());
            }
            f.code |= u.executable();
            f.ranges.put(pm.pid(), List.copyOf(u.ranges()));
            keys.add(e.getKey());
        }
        if (old != null) for (FileId k : old.files) if (!keys.contains(k)) unuse(k, pm.pid());
        procs.put(pm.pid(), new Entry(pm.startTicks(), pm.textHash(), Set.copyOf(keys)));
        return new Applied(fresh, old == null || !old.files.equals(keys));
    }

    /** Forgets a process; true when it was indexed. */
    public synchronized boolean remove(int pid) {
        Entry e = procs.get(pid);
        if (e == null) return false;
        drop(pid, e);
        return true;
    }

    private void drop(int pid, Entry e) {
        procs.remove(pid);
        for (FileId k : e.files) unuse(k, pid);
    }

    private void unuse(FileId k, int pid) {
        Users f = files.get(k);
        if (f == null) return;
        f.ranges.remove(pid);
        if (f.ranges.isEmpty()) {
            files.remove(k);
            listener.removed(k, f.path);
        }
    }

    // --- questions ---

    /** The processes that map file, each with its ranges (one, unless built {@link #ofFiles}); empty when none. */
    public synchronized Map<Integer, List<String>> users(FileId file) {
        Users f = files.get(file);
        return f == null ? Map.of() : new HashMap<>(f.ranges);
    }

    /** The path the file's users name it by (null: not indexed). */
    public synchronized String path(FileId file) {
        Users f = files.get(file);
        return f == null ? null : f.path;
    }

    /** Mapped executable by some process: a library or program, where a write alone is news. */
    public synchronized boolean code(FileId file) {
        Users f = files.get(file);
        return f != null && f.code;
    }

    /** The start time the process was indexed with (-1: not indexed). */
    public synchronized long startTicks(int pid) {
        Entry e = procs.get(pid);
        return e == null ? -1 : e.startTicks;
    }

    /** The files a process maps (empty when not indexed). */
    public synchronized Set<FileId> files(int pid) {
        Entry e = procs.get(pid);
        return e == null ? Set.of() : e.files;
    }

    public synchronized Set<Integer> pids() {
        return new HashSet<>(procs.keySet());
    }

    public synchronized int processCount() {
        return procs.size();
    }

    public synchronized int fileCount() {
        return files.size();
    }

    /** True once a limit was hit (the caller says so once). */
    public synchronized boolean full() {
        return full;
    }
}
