package io.lminspect.inferior;

import io.lminspect.elf.ByteSource;
import io.lminspect.elf.ElfClass;
import io.lminspect.elf.FileByteSource;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A running process, read without stopping it (docs/design.md, rule 1): /proc/PID/maps,
 * /proc/PID/auxv, and process_vm_readv. Files it maps are opened through
 * /proc/PID/map_files or /proc/PID/root, never by the bare path (rule 3).
 */
public final class LiveProcess implements Target {
    private final int pid;
    /** Made on first use: the start's wall-clock time needs the native helper, which may still be loading. */
    private ProcessIdentity identity;
    private final ProcFs.Stat stat;
    private final String exe;
    private final int uid, nsPid;
    private volatile Mappings mappings;
    private final Auxv auxv;
    private final ElfClass elfClass;
    private final ProcessMemoryReader reader;
    private final ProcessLineage lineage;
    /** stat results for this one inspection: several checks ask about the same file, the answer is one snapshot */
    private final Map<FileId, Optional<FileFacts>> mappedFacts = new HashMap<>();
    /**
     * A scan's stats of mapped inodes, by inode, shared by its processes; null for a process
     * inspected alone, which takes its stats in one native call per kind instead (batchStats).
     */
    private final Map<FileId, FileFacts> runMappedFacts;
    private final Map<String, Optional<FileFacts>> pathFacts = new HashMap<>();
    /** The host path of the target's root when it is chrooted in our mount namespace; null otherwise. */
    private final String chrootPrefix;

    private LiveProcess(int pid, ProcessLineage lineage, Map<FileId, FileFacts> runMappedFacts) {
        this.pid = pid;
        this.lineage = lineage;
        this.runMappedFacts = runMappedFacts;
        this.batchedOnce = runMappedFacts != null;
        ProcFs.Stat st = ProcFs.stat(pid);
        if ((st.flags() & ProcFs.PF_KTHREAD) != 0)
            throw new InspectException(Failure.KERNEL_THREAD, pid, io.lminspect.util.SafeText.clean(st.comm()));
        String status = ProcFs.readText(pid, "status");
        int uid = parseUid(status);
        int nsPid = parseNsPid(status, pid);
        String exePath = readExe(pid);
        byte[] auxvBytes;
        Auxv av;
        // auxv and maps are two reads: a process that exec()s between them gives one image's auxv and
        // another's maps (its program headers at AT_PHDR unmapped). Read again; then say so.
        for (int attempt = 0; ; attempt++) {
            auxvBytes = ProcFs.readBytes(pid, "auxv");
            String maps = readMaps(pid);
            if (maps.isEmpty() || auxvBytes.length == 0)
                throw new InspectException(Failure.NO_ADDRESS_SPACE, pid, io.lminspect.util.SafeText.clean(st.comm()));
            this.mappings = Mappings.parseProcMaps(maps);
            av = classOf(auxvBytes);
            long phdr = av.get(Auxv.AT_PHDR);
            if (phdr == 0 || mappings.isMapped(phdr) || cut != null) break;
            if (attempt == IMAGE_REREADS) {
                cut = "the process replaced its program (exec) while it was read, " + (attempt + 1)
                        + " times in a row: its auxv and its maps describe different images";
                break;
            }
        }
        this.auxv = av;
        this.elfClass = av.get(Auxv.AT_PHENT) == ElfClass.ELF64.phdrSize() ? ElfClass.ELF64 : ElfClass.ELF32;
        this.stat = st;
        this.exe = exePath;
        lineage.know(pid, st, exePath); // the service and the fork origin ask the lineage about this very process
        this.uid = uid;
        this.nsPid = nsPid;
        this.reader = new ProcessMemoryReader(pid);
        this.chrootPrefix = chrootPrefix(pid);
    }

    static final int IMAGE_REREADS = 3;

    /** The auxv's own shape tells the class: AT_PHENT is the size of the class's program header. */
    private static Auxv classOf(byte[] auxvBytes) {
        Auxv a64 = Auxv.parse(auxvBytes, ElfClass.ELF64.wordSize());
        return a64.get(Auxv.AT_PHENT) == ElfClass.ELF64.phdrSize() ? a64 : Auxv.parse(auxvBytes, ElfClass.ELF32.wordSize());
    }

    private static final String OUR_MOUNT_NS = readLink(Path.of("/proc/self/ns/mnt"));

    /**
     * The target's root as a host path, when it differs from ours and the target shares our
     * mount namespace (a chroot): then maps paths carry it as a prefix. In another mount
     * namespace maps already names paths as the target sees them.
     */
    private static String chrootPrefix(int pid) {
        String root = readLink(ProcFs.proc(pid, "root"));
        if (root == null || root.equals("/") || !root.startsWith("/")) return null;
        String ns = readLink(ProcFs.proc(pid, "ns/mnt"));
        return ns != null && ns.equals(OUR_MOUNT_NS) ? root : null;
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String processView(String mapsPath) {
        if (chrootPrefix == null || mapsPath == null || !mapsPath.startsWith(chrootPrefix + "/")) return mapsPath;
        return mapsPath.substring(chrootPrefix.length());
    }

    /** Opens a process for reading; InspectException (exit 3) when it cannot be inspected. */
    public static LiveProcess open(int pid) {
        return open(pid, new ProcessLineage());
    }

    /** lineage: shared with the service resolution of the same run, so parents are read once. */
    public static LiveProcess open(int pid, ProcessLineage lineage) {
        return create(pid, lineage, null);
    }

    /**
     * runMappedFacts: a scan's stats of mapped inodes, shared by its processes (thread-safe).
     * An inode's stat is the same through whichever process maps it, so a scan takes each
     * once; like the parsed files a scan shares, it is then as old as the scan.
     */
    public static LiveProcess open(int pid, ProcessLineage lineage, Map<FileId, FileFacts> runMappedFacts) {
        return create(pid, lineage, java.util.Objects.requireNonNull(runMappedFacts));
    }

    private static LiveProcess create(int pid, ProcessLineage lineage, Map<FileId, FileFacts> runMappedFacts) {
        if (pid <= 0) throw new InspectException(Failure.NOT_A_PID, pid);
        return new LiveProcess(pid, lineage, runMappedFacts);
    }

    private static String readExe(int pid) {
        try {
            return Files.readSymbolicLink(ProcFs.proc(pid, "exe")).toString();
        } catch (IOException e) {
            return null; // kernel threads and processes we may not read
        }
    }

    private static int parseUid(String status) {
        String u = ProcFs.statusField(status, "Uid");
        if (u == null) return -1;
        return Integer.parseInt(u.split("\\s+")[0]);
    }

    private static int parseNsPid(String status, int pid) {
        String n = ProcFs.statusField(status, "NSpid");
        if (n == null) return pid;
        String[] f = n.split("\\s+");
        return Integer.parseInt(f[f.length - 1]);
    }

    public int pid() { return pid; }

    private Long mappingsOrigin;

    /**
     * The start of the oldest ancestor in the unbroken line of older parents running the
     * same executable (ProcessLineage): what a pre-forked worker's mappings may be as old
     * as. An exec starts afresh, so a parent running another program ends the line.
     * Unknown parents (exited, unreadable) end it too: then the answer is as late as what
     * is known, and docs/design.md says what that can miss.
     */
    @Override
    public synchronized long mappingsOriginMillis() {
        if (mappingsOrigin == null) {
            long origin = identity().startEpochMillis();
            OptionalLong rootStart = lineage.startTicksOf(lineage.rootOf(pid));
            mappingsOrigin = rootStart.isPresent() ? Math.min(origin, ProcFs.epochMillisOfTicks(rootStart.getAsLong())) : origin;
        }
        return mappingsOrigin;
    }

    @Override
    public RegisterSnapshot registers() {
        requireSameProcess(); // never stop a process that merely reuses the PID
        return RegisterSnapshot.take(pid);
    }

    @Override
    public boolean refreshMappings() {
        mappings = Mappings.parseProcMaps(readMaps(pid));
        return true;
    }

    /** Why the inspection must stop before the walk (maps past its budget), or null. */
    private volatile String cut;

    /**
     * /proc/PID/maps up to its budget (a hostile process can make it hundreds of MB: 65,000
     * mappings of a 4,000-byte path). Past it, the list would be partial, and a partial list
     * would make real pointers look unmapped: the inspection stops there (INSPECTION_CUT).
     */
    private String readMaps(int pid) {
        byte[] b = ProcFs.readBytes(pid, "maps", io.lminspect.util.Budgets.MAPS_BYTES);
        if (b.length < io.lminspect.util.Budgets.MAPS_BYTES) return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        int end = b.length;
        while (end > 0 && b[end - 1] != '\n') end--;
        String whole = new String(b, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
        cut = "/proc/" + pid + "/maps is longer than its budget of " + (io.lminspect.util.Budgets.MAPS_BYTES >> 20)
                + " MiB (" + whole.chars().filter(c -> c == '\n').count() + " mappings read before it)";
        return whole;
    }

    @Override public String cut() { return cut; }
    @Override public String readInFlight() { return reader.inFlight(); }

    @Override
    public synchronized ProcessIdentity identity() {
        if (identity == null) identity = new ProcessIdentity(pid, exe, stat.comm(), uid, stat.startTicks(), stat.startEpochMillis(), nsPid);
        return identity;
    }
    @Override public ElfClass elfClass() { return elfClass; }
    @Override public int machine() { return elfClass.eMachine(); }
    @Override public Mappings mappings() { return mappings; }
    @Override public Auxv auxv() { return auxv; }
    @Override public boolean isLive() { return true; }
    @Override public long readCalls() { return reader.calls(); }

    @Override
    public void read(List<ReadRequest> batch) {
        reader.read(batch);
    }

    /** Rule 4: never report one process's memory under another's PID. */
    public void requireSameProcess() {
        if (!stillSameProcess())
            throw new InspectException(Failure.PROCESS_EXITED, pid);
    }

    /** True when the PID still names the process we opened (start time unchanged). */
    public boolean stillSameProcess() {
        try {
            ProcFs.Stat st = ProcFs.stat(pid);
            // a zombie keeps its start time but has no address space or root any more
            return st.startTicks() == stat.startTicks() && st.state() != 'Z' && st.state() != 'X'
                    && Files.exists(ProcFs.proc(pid, "root"));
        } catch (InspectException e) {
            return false;
        }
    }

    @Override
    public Optional<ByteSource> openMappedFile(Mapping m) {
        if (!m.fileBacked()) return Optional.empty();
        // map_files opens the mapped inode itself, even when deleted or in another mount namespace
        Path viaMapFiles = ProcFs.proc(pid, "map_files").resolve(m.mapFilesName());
        Optional<ByteSource> s = openIfSameInode(viaMapFiles, m, true);
        if (s.isPresent() || m.deleted() || !Mappings.exactPath(m.path())) return s;
        return openIfSameInode(rootPath(processView(m.path())), m, false);
    }

    /** The target's view of an absolute path: /proc/PID/root/PATH. */
    public Path rootPath(String path) {
        return ProcFs.proc(pid, "root").resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private static Optional<ByteSource> openIfSameInode(Path p, Mapping m, boolean followMagicLink) {
        // regular files only, the mapped inode only: never a FIFO or a device, even one swapped in at the last moment
        FileChannel ch = SafeFiles.openRegular(p, m.dev(), m.inode(), followMagicLink);
        return ch == null ? Optional.empty() : Optional.of(new FileByteSource(ch, m.path()));
    }

    @Override
    public Optional<FileFacts> statMapped(Mapping m) {
        if (!m.fileBacked()) return Optional.empty();
        // every mapping of an inode gives the same answer
        FileFacts known = runMappedFacts == null ? null : runMappedFacts.get(m.fileId());
        if (known != null && known.path().equals(m.path())) return Optional.of(known); // the same inode under the same name
        return mappedFacts.computeIfAbsent(m.fileId(), id -> {
            Optional<FileFacts> f = statMappedNow(m);
            // only an answer about the mapped inode itself is every process's answer
            if (runMappedFacts != null) f.ifPresent(x -> runMappedFacts.putIfAbsent(id, x));
            return f;
        });
    }

    private Optional<FileFacts> statMappedNow(Mapping m) {
        batchStats();
        Optional<FileFacts> f = batchedLinks.get(m.fileId());
        if (f == null) f = stat(ProcFs.proc(pid, "map_files").resolve(m.mapFilesName()), m.path(), true);
        if (f.isPresent() && f.get().sameInode(m.fileId())) return f;
        if (m.deleted()) return Optional.empty();
        Optional<FileFacts> byPath = statPathToday(processView(m.path()));
        return byPath.isPresent() && byPath.get().sameInode(m.fileId()) ? byPath : Optional.empty();
    }

    @Override
    public Optional<FileFacts> statPathToday(String path) {
        if (path == null || !path.startsWith("/") || !Mappings.exactPath(path)) return Optional.empty();
        return pathFacts.computeIfAbsent(path, this::statPathNow);
    }

    private Optional<FileFacts> statPathNow(String path) {
        batchStats();
        Optional<FileFacts> f = batchedNames.get(path);
        if (f == null) f = stat(rootPath(path), path, false);
        // missing only while the target's root is still there: a process that exited takes its root along
        if (f.isPresent() && !f.get().exists() && !Files.exists(ProcFs.proc(pid, "root").resolve("."))) return Optional.empty();
        return f;
    }

    /**
     * Stats taken in one native call per kind, on the first question: the checks ask about
     * every mapped file by its inode (the map_files link) and by its path, and each stat from
     * Java costs a cold JVM ~85 µs (docs/benchmarks.md). Empty without the helper: then each
     * is taken when asked.
     */
    private final Map<FileId, Optional<FileFacts>> batchedLinks = new HashMap<>();
    private final Map<String, Optional<FileFacts>> batchedNames = new HashMap<>();
    /** True once the batch is taken, or from the start in a scan (runMappedFacts). */
    private boolean batchedOnce;

    private synchronized void batchStats() {
        if (batchedOnce) return;
        batchedOnce = true;
        NativeHelper h = NativeHelper.Holder.get();
        if (h == null) return;
        List<Mapping> files = new java.util.ArrayList<>();
        java.util.Set<FileId> seen = new java.util.HashSet<>();
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (Mapping m : mappings.all()) {
            if (!m.fileBacked() || !seen.add(m.fileId())) continue;
            files.add(m);
            if (!m.deleted() && Mappings.exactPath(m.path())) names.add(processView(m.path()));
        }
        List<String> links = new java.util.ArrayList<>(files.size()), linkNames = new java.util.ArrayList<>(files.size());
        String dir = "/proc/" + pid + "/map_files/";
        for (Mapping m : files) {
            links.add(dir + m.mapFilesName());
            linkNames.add(m.path());
        }
        Optional<FileFacts>[] byLink = statAll(h, links, linkNames, true);
        if (byLink != null) for (int i = 0; i < files.size(); i++) batchedLinks.put(files.get(i).fileId(), byLink[i]);
        List<String> named = new java.util.ArrayList<>(names);
        List<String> rooted = new java.util.ArrayList<>(named.size());
        String root = "/proc/" + pid + "/root";
        for (String n : named) rooted.add(root + n);
        Optional<FileFacts>[] byName = statAll(h, rooted, named, false);
        if (byName != null) for (int i = 0; i < named.size(); i++) batchedNames.put(named.get(i), byName[i]);
    }

    /** Fields per path in lmh_stat_batch's answer (lmhelper.h, LMH_STAT_FIELDS). */
    private static final int STAT_FIELDS = 9;

    /** One native call for all paths; null when the helper answers otherwise (an older or mocked one). */
    @SuppressWarnings("unchecked")
    private Optional<FileFacts>[] statAll(NativeHelper h, List<String> paths, List<String> shownAs, boolean follow) { // shownAs: each path as the facts name it
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
        for (int i = 0; i < n; i++) {
            int o = STAT_FIELDS * i;
            String shown = shownAs.get(i);
            if (out[o] == 0) {
                facts[i] = Optional.of(new FileFacts(shown, true, (out[o + 3] & 0170000) == 0100000, new FileId(out[o + 1], out[o + 2]),
                        out[o + 4], Math.floorDiv(out[o + 5], 1_000_000L), Math.floorDiv(out[o + 6], 1_000_000L),
                        out[o + 7], out[o + 8] < 0 ? -1 : Math.floorDiv(out[o + 8], 1_000_000L)));
            } else {
                facts[i] = out[o] == Errno.ENOENT ? Optional.of(FileFacts.missing(shown)) : Optional.empty();
            }
        }
        return facts;
    }

    private Optional<FileFacts> stat(Path p, String path, boolean followMagicLink) {
        NativeHelper h = NativeHelper.Holder.get();
        if (h != null) { // statx: the birth time too
            Optional<FileFacts>[] one = statAll(h, List.of(p.toString()), List.of(path), followMagicLink);
            if (one != null) return one[0];
        }
        try {
            LinkOption[] opts = followMagicLink ? new LinkOption[0] : new LinkOption[]{LinkOption.NOFOLLOW_LINKS};
            Map<String, Object> a = Files.readAttributes(p, "unix:ino,dev,mode,size,lastModifiedTime,ctime,nlink", opts);
            int mode = (Integer) a.get("mode");
            // no birth time from Java here (JDK 17 does not use statx): the helper's batch gives it
            return Optional.of(new FileFacts(path, true, (mode & 0170000) == 0100000, FileId.of(a),
                    (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toMillis(), ((FileTime) a.get("ctime")).toMillis(),
                    ((Integer) a.get("nlink")).longValue(), -1));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.of(FileFacts.missing(path));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
