package io.lminspect.inferior;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process's line of same-program parents: its oldest ancestor in an unbroken line of
 * parents running the same executable (same device and inode of /proc/PID/exe, so a
 * renamed or replaced file still matches what the process runs), each older than its
 * child (a younger "parent" is a reused PID). nginx's workers lead to their master; a
 * process whose parent runs something else is its own root. Two questions use it: which
 * tree a process belongs to (ServiceResolver), and how old the mappings of a forked
 * worker may be (LiveProcess: a fork inherits its parent's pages).
 *
 * <p>What is read of each PID is kept for the life of this object (one attach, one scan),
 * so every ancestor is read once. Reads go through a procfs-shaped directory, so tests
 * can hand it a forged one. Safe for concurrent use.
 */
public final class ProcessLineage {
    /** Deeper chains of one executable do not happen; the cap keeps a forged /proc finite. */
    private static final int MAX_DEPTH = 4096;
    private static final int MAX_STAT_BYTES = 4096;

    /** What one PID looked like when read; any field may be unknown (null). */
    private record Facts(ProcFs.Stat stat, FileId exe, String program) {}

    private static final Facts GONE = new Facts(null, null, null);

    private final Path procRoot;
    private final Map<Integer, Facts> facts = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> roots = new ConcurrentHashMap<>();

    public ProcessLineage(Path procRoot) {
        this.procRoot = procRoot;
    }

    /** The host's processes. */
    public ProcessLineage() {
        this(HOST_PROC);
    }

    /**
     * What a LiveProcess has already read of pid on the host's /proc (its stat line and its
     * exe link), kept so this lineage does not read them again; ignored for another root.
     */
    void know(int pid, ProcFs.Stat stat, String exeLink, FileId exeIdRead) {
        if (!procRoot.equals(HOST_PROC)) return;
        facts.computeIfAbsent(pid, p -> {
            String program = exeLink == null ? null : programName(Path.of(exeLink).getFileName());
            FileId exe = exeIdRead != null ? exeIdRead : exeId(procRoot.resolve(Integer.toString(p)).resolve("exe"));
            return new Facts(stat, exe, program != null ? program : stat.comm());
        });
    }

    private static final Path HOST_PROC = Path.of("/proc");

    /** The oldest same-program ancestor of pid (pid itself when it has none, or cannot be read). */
    public int rootOf(int pid) {
        List<Integer> line = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        int cur = pid;
        Integer root = null;
        while (root == null) {
            root = roots.get(cur);
            if (root != null) break;
            line.add(cur);
            seen.add(cur);
            Integer parent = sameExeParent(cur);
            if (parent == null || seen.contains(parent) || line.size() >= MAX_DEPTH) root = cur;
            else cur = parent;
        }
        for (int p : line) roots.putIfAbsent(p, root);
        return roots.get(pid);
    }

    /** The program's name as a person knows it (the executable's file name, else comm), or null. */
    public String programOf(int pid) {
        return facts(pid).program();
    }

    /** When pid started, in clock ticks after boot (field 22 of its stat), if it could be read. */
    public OptionalLong startTicksOf(int pid) {
        ProcFs.Stat s = facts(pid).stat();
        return s == null ? OptionalLong.empty() : OptionalLong.of(s.startTicks());
    }

    /** The parent when it runs the same executable and is older (a reused PID is younger). */
    private Integer sameExeParent(int pid) {
        Facts child = facts(pid);
        if (child.stat() == null || child.exe() == null) return null;
        int ppid = child.stat().ppid();
        if (ppid <= 0 || ppid == pid) return null;
        Facts parent = facts(ppid);
        if (parent.stat() == null || !child.exe().equals(parent.exe())) return null;
        return parent.stat().startTicks() <= child.stat().startTicks() ? ppid : null;
    }

    private Facts facts(int pid) {
        Facts f = facts.get(pid);
        if (f != null) return f;
        f = read(pid);
        Facts prev = facts.putIfAbsent(pid, f);
        return prev != null ? prev : f;
    }

    private Facts read(int pid) {
        Path dir = procRoot.resolve(Integer.toString(pid));
        ProcFs.Stat stat = BoundedRead.of(dir.resolve("stat"), MAX_STAT_BYTES)
                .flatMap(r -> ProcFs.Stat.parse(new String(r.bytes(), StandardCharsets.UTF_8)))
                .orElse(null);
        FileId exe = exeId(dir.resolve("exe"));
        String program = exeFileName(dir.resolve("exe"));
        if (program == null && stat != null) program = stat.comm();
        if (stat == null && exe == null && program == null) return GONE;
        return new Facts(stat, exe, program);
    }

    private static FileId exeId(Path exe) {
        try {
            return FileId.of(Files.readAttributes(exe, "unix:dev,ino"));
        } catch (IOException | RuntimeException e) {
            return null; // gone, a kernel thread, or not ours to look at
        }
    }

    private static String exeFileName(Path exe) {
        String target = ProcFs.link(exe);
        return target == null ? null : programName(Path.of(target).getFileName());
    }

    /** The file name of an exe link's target, without the kernel's " (deleted)". */
    private static String programName(Path fileName) {
        if (fileName == null) return null;
        String name = fileName.toString();
        return name.endsWith(Mappings.DELETED) ? name.substring(0, name.length() - Mappings.DELETED.length()) : name;
    }
}
