package io.lminspect.inferior;

import io.lminspect.elf.ByteSource;
import io.lminspect.elf.ElfClass;
import io.lminspect.elf.FileByteSource;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
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
    /** The process as a pidfd (empty without the helper or on kernels before 5.3): the same-process check's evidence. */
    private final PidFd pidfd;
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
    /** How its files are stat-ed: alone (batched) or in a scan (shared per inode). */
    private final FileStats stats;
    /**
     * The host path of the target's root when it is chrooted in our mount namespace (then maps
     * paths carry it as a prefix); null otherwise. In another mount namespace maps already
     * names paths as the target sees them.
     */
    private final String chrootPrefix;

    private LiveProcess(int pid, ProcessLineage lineage, ScanStats scan, PidFd pidfd) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.lineage = lineage;
        this.stats = scan == null ? FileStats.alone(this) : FileStats.inScan(this, scan);
        // one helper call for the files below (ProcFiles); what it could not read is read here, one by one
        ProcFiles pre = ProcFiles.read(pid, scan == null ? OPEN_FILES : SCAN_FILES);
        String statText = pre.text("stat");
        ProcFs.Stat st = statText == null ? ProcFs.stat(pid) : ProcFs.Stat.parse(statText).orElseGet(() -> ProcFs.stat(pid));
        if ((st.flags() & ProcFs.PF_KTHREAD) != 0)
            throw new InspectException(Failure.KERNEL_THREAD, pid, io.lminspect.util.SafeText.clean(st.comm()));
        String status = pre.text("status");
        if (status == null) status = ProcFs.readText(pid, "status");
        int uid = parseUid(status);
        int nsPid = parseNsPid(status, pid);
        String exePath = pre.link("exe");
        if (exePath == null) exePath = ProcFs.exe(pid); // null: kernel threads and processes we may not read
        byte[] auxvBytes;
        Auxv av;
        // auxv and maps are two reads: a process that exec()s between them gives one image's auxv and
        // another's maps (its program headers at AT_PHDR unmapped). Read again; then say so.
        for (int attempt = 0; ; attempt++) {
            byte[] auxvRead = attempt == 0 ? pre.bytes("auxv") : null;
            auxvBytes = auxvRead != null ? auxvRead : ProcFs.readBytes(pid, "auxv");
            byte[] mapsRead = attempt == 0 ? pre.bytes("maps") : null;
            byte[] maps = mapsRead != null ? mapsRead : readMaps(pid);
            if (maps.length == 0 || auxvBytes.length == 0)
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
        lineage.know(pid, st, exePath, pre.id("exe")); // the service and the fork origin ask the lineage about this very process
        this.uid = uid;
        this.nsPid = nsPid;
        this.reader = new ProcessMemoryReader(pid);
        String rootRead = pre.link("root");
        this.root = rootRead != null ? rootRead : ProcFs.link(ProcFs.proc(pid, "root"));
        this.mountNs = pre.link("ns/mnt");
        this.cgroup = pre.bytes("cgroup");
        this.chrootPrefix = root != null && root.startsWith("/") && !root.equals("/") && inOurMountNamespace() ? root : null;
    }

    /** The target's root as its link names it (null: not ours to read). */
    private final String root;
    private Boolean hostRoot;

    /** /proc/PID/cgroup as read with the others (a scan), else null. */
    private final byte[] cgroup;

    /** The cgroup file as read when the process was opened in a scan, or null: read it yourself. */
    public byte[] cgroupAtOpen() {
        return cgroup;
    }

    /** The mount-namespace link when read with the others (a scan), else null: read when asked. */
    private final String mountNs;

    private boolean inOurMountNamespace() {
        String ns = mountNs != null ? mountNs : ProcFs.link(ProcFs.proc(pid, "ns/mnt"));
        return OUR_MOUNT_NS != null && OUR_MOUNT_NS.equals(ns);
    }

    /** What an open reads of /proc/PID, in its order; a scan also asks whether the process sees the host's root. */
    private static final String[] OPEN_FILES = {"stat", "status", "@exe", "$exe", "auxv", "maps", "@root"};
    /** A scan also reads the cgroup file for the service (ServiceResolver), here with the rest. */
    private static final String[] SCAN_FILES = {"stat", "status", "@exe", "$exe", "auxv", "maps", "@root", "@ns/mnt", "cgroup"};

    /**
     * True when the process sees the host's own root (our mount namespace, root "/"): its paths name what
     * ours do. Asked only in a scan (to share path stats), so an attach reads no namespace link for it.
     */
    synchronized boolean hostRoot() {
        if (hostRoot == null) hostRoot = "/".equals(root) && inOurMountNamespace();
        return hostRoot;
    }

    static final int IMAGE_REREADS = 3;

    /** The auxv's own shape tells the class: AT_PHENT is the size of the class's program header. */
    private static Auxv classOf(byte[] auxvBytes) {
        Auxv a64 = Auxv.parse(auxvBytes, ElfClass.ELF64.wordSize());
        return a64.get(Auxv.AT_PHENT) == ElfClass.ELF64.phdrSize() ? a64 : Auxv.parse(auxvBytes, ElfClass.ELF32.wordSize());
    }

    private static final String OUR_MOUNT_NS = ProcFs.link(Path.of("/proc/self/ns/mnt"));


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
     * scan: the stats a scan shares among its processes (ScanStats).
     * An inode's stat is the same through whichever process maps it, so a scan takes each
     * once; like the parsed files a scan shares, it is then as old as the scan.
     */
    public static LiveProcess open(int pid, ProcessLineage lineage, ScanStats scan) {
        return create(pid, lineage, java.util.Objects.requireNonNull(scan));
    }

    private static LiveProcess create(int pid, ProcessLineage lineage, ScanStats scan) {
        if (pid <= 0) throw new InspectException(Failure.NOT_A_PID, pid);
        // the process itself, taken before the first read: whatever reuses its PID later is not it
        PidFd fd = PidFd.open(pid);
        try {
            return new LiveProcess(pid, lineage, scan, fd);
        } catch (RuntimeException | Error e) {
            fd.close();
            throw e;
        }
    }


    private static int parseUid(String status) {
        String u = ProcFs.statusField(status, "Uid");
        if (u == null) return -1;
        return Integer.parseInt(fields(u)[0]);
    }

    private static int parseNsPid(String status, int pid) {
        String n = ProcFs.statusField(status, "NSpid");
        if (n == null) return pid;
        String[] f = fields(n);
        return Integer.parseInt(f[f.length - 1]);
    }

    /** A status value's whitespace-separated fields (String.split would compile a regex per process of a scan). */
    private static String[] fields(String value) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(4);
        int i = 0, n = value.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(value.charAt(i))) i++;
            int from = i;
            while (i < n && !Character.isWhitespace(value.charAt(i))) i++;
            if (i > from) out.add(value.substring(from, i));
        }
        return out.isEmpty() ? new String[]{""} : out.toArray(new String[0]);
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
    private byte[] readMaps(int pid) {
        byte[] b = ProcFs.readBytes(pid, "maps", io.lminspect.util.Budgets.MAPS_BYTES);
        if (b.length < io.lminspect.util.Budgets.MAPS_BYTES) return b;
        int end = b.length;
        while (end > 0 && b[end - 1] != '\n') end--;
        int lines = 0;
        for (int i = 0; i < end; i++) if (b[i] == '\n') lines++;
        cut = "/proc/" + pid + "/maps is longer than its budget of " + (io.lminspect.util.Budgets.MAPS_BYTES >> 20)
                + " MiB (" + lines + " mappings read before it)";
        return java.util.Arrays.copyOf(b, end);
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

    /** True when the PID still names the process we opened (its pidfd, else its start time unchanged). */
    public boolean stillSameProcess() {
        // a pidfd taken before the first read answers without /proc: it polls readable once the process exits
        Boolean exited = pidfd.exited();
        if (exited != null) return !exited;
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

    /** Descriptors looked at, at most: a server with 100,000 sockets open is not walked whole for a few jars. */
    static final int MAX_FDS_SCANNED = 4096;

    @Override
    public java.util.List<OpenFile> openFiles(String suffix, int max) {
        java.util.Map<FileId, OpenFile> out = new java.util.LinkedHashMap<>();
        try (java.nio.file.DirectoryStream<Path> fds = Files.newDirectoryStream(ProcFs.proc(pid, "fd"))) {
            int seen = 0;
            for (Path fd : fds) {
                if (++seen > MAX_FDS_SCANNED || out.size() >= max) break;
                String target = ProcFs.link(fd);
                if (target == null || !target.endsWith(suffix) || !target.startsWith("/")) continue;
                try {
                    FileId id = FileId.of(Files.readAttributes(fd, "unix:dev,ino")); // the open file itself, through the magic link
                    out.putIfAbsent(id, new OpenFile(target, id));
                } catch (IOException | RuntimeException gone) {
                    // closed meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return java.util.List.of(); // not ours to read, or gone
        }
        return java.util.List.copyOf(out.values());
    }

    @Override
    public Optional<ByteSource> open(OpenFile f) {
        FileChannel ch = SafeFiles.openRegular(rootPath(processView(f.path())), f.id().dev(), f.id().inode(), false);
        return ch == null ? Optional.empty() : Optional.of(new FileByteSource(ch, f.path()));
    }

    @Override
    public Optional<FileFacts> statMapped(Mapping m) {
        return stats.mapped(m);
    }

    @Override
    public Optional<FileFacts> statPathToday(String path) {
        return stats.path(path);
    }

    @Override
    public void close() {
        reader.close();
        pidfd.close();
    }
}
