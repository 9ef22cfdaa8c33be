package io.lminspect.check;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.linker.ElfCache;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.LinkMapWalker;
import io.lminspect.linker.LinkerState;
import io.lminspect.linker.LoadedObject;
import io.lminspect.linker.Soname;
import io.lminspect.linker.ObjectResolver;
import io.lminspect.inferior.FileFacts;
import io.lminspect.inferior.Memory;
import io.lminspect.inferior.Target;
import io.lminspect.util.Budgets;
import io.lminspect.util.Timing;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One inspection of one target: the linker state, the objects, the facts the
 * checks share (computed once, lazily), and the findings. Checks only add
 * findings; reports only read.
 */
public final class Inspection {
    private final Target target;
    private Memory memory;
    private LinkerState state;
    private final List<LoadedObject> objects;
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<LoadedObject, DynamicComparison> dynamic = new IdentityHashMap<>();
    private final Map<LoadedObject, RelocationComparison> relocations = new IdentityHashMap<>();
    private final Map<LoadedObject, FileHistory> history = new IdentityHashMap<>();
    private final Map<LoadedObject, Boolean> deep = new IdentityHashMap<>();
    private final boolean thorough;
    private Map<LoadedObject, JniOrigins.Origin> origins = Map.of();

    /** An inspection that stopped before reading the link_map: no entries, the reason as INSPECTION_CUT. */
    private Inspection(Target target, String why) {
        this.target = target;
        this.thorough = false;
        this.memory = new Memory(target);
        var layout = io.lminspect.linker.LinkMapLayout.glibc(target.wordSize());
        this.state = new LinkerState(new io.lminspect.linker.RDebugLocator.Location(0, "not read", "unknown", null, 0,
                "the inspection stopped: " + why), List.of(), List.of(), List.of(), layout, 0, List.of(), null);
        this.objects = List.of();
        add(Finding.of(Severity.WARNING, FindingCode.INSPECTION_CUT).object("the process")
                .message(why)
                .consequence("nothing past that point was checked: the process holds memory or structures no healthy process does "
                        + "(hostile, or stuck on a page nobody serves)")
                .remedy("look at the process itself (its maps, its state in ps: D means a hung read); lminspect goes on with the others")
                .build());
    }

    private Inspection(Target target, ElfCache cache, boolean thorough) {
        this.target = target;
        this.thorough = thorough;
        this.memory = new Memory(target);
        this.state = new LinkMapWalker(memory).walk();
        Timing.mark("walk");
        // A live process may map memory (a new heap arena, a new library) between our
        // reading of its maps and of its chain: re-read both before calling anything broken.
        for (int i = 0; i < RETRIES && unsettled(state) && target.refreshMappings(); i++) {
            memory = new Memory(target);
            state = new LinkMapWalker(memory).walk();
        }
        this.objects = new ObjectResolver(memory, cache).resolve(state.entries());
        Timing.mark("resolve");
    }

    static final int RETRIES = 2;

    private static boolean unsettled(LinkerState s) {
        if (!s.problems().isEmpty()) return true;
        for (LinkMapEntry e : s.entries()) if (!e.walkProblems().isEmpty()) return true;
        return false;
    }

    /** Reads the target and runs the given checks, the deep ones only where they can find something. */
    public static Inspection run(Target target, ElfCache cache, List<Check> checks) {
        return run(target, cache, checks, false);
    }

    /**
     * thorough: the deep memory comparisons on every object, not only on those that may be damaged.
     * A live process is inspected within Budgets.DEADLINE_MS (rule 7): a read of a page nobody
     * serves never returns, so the inspection runs on a worker thread and, past the deadline, is
     * reported as INSPECTION_CUT naming the read under way; the stuck thread is a daemon and is
     * abandoned (the kernel lets it go when lminspect exits).
     */
    public static Inspection run(Target target, ElfCache cache, List<Check> checks, boolean thorough) {
        if (target.cut() != null) return new Inspection(target, target.cut());
        if (!target.isLive()) return runNow(target, cache, checks, thorough);
        return bounded(target, cache, checks, thorough);
    }

    /**
     * On the calling thread, with no deadline of its own: for a caller that bounds it itself (a
     * scan watches its workers, so a process does not cost a thread hand-off: ~70 µs each).
     */
    public static Inspection runHere(Target target, ElfCache cache, List<Check> checks, boolean thorough) {
        if (target.cut() != null) return new Inspection(target, target.cut());
        return runNow(target, cache, checks, thorough);
    }

    /** The inspection of a process that did not finish within the deadline: INSPECTION_CUT naming the read under way. */
    public static Inspection pastDeadline(Target target) {
        String read = target.readInFlight();
        return new Inspection(target, "the inspection did not finish within its deadline of " + Budgets.DEADLINE_MS + " ms"
                + (read != null ? ": " + read + " (a page nobody serves: userfaultfd, or a hung FUSE or NFS file)" : ""));
    }

    private static Inspection bounded(Target target, ElfCache cache, List<Check> checks, boolean thorough) {
        java.util.concurrent.Future<Inspection> f = WORKERS.submit(() -> runNow(target, cache, checks, thorough));
        try {
            return f.get(Budgets.DEADLINE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            Inspection cut = pastDeadline(target);
            f.cancel(true);
            return cut;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return new Inspection(target, "the inspection was interrupted");
        }
    }

    /** Daemon threads for live inspections: one that never returns from a read must not keep lminspect alive. */
    private static final java.util.concurrent.ExecutorService WORKERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lminspect-inspection");
        t.setDaemon(true);
        return t;
    });

    private static Inspection runNow(Target target, ElfCache cache, List<Check> checks, boolean thorough) {
        Inspection in = new Inspection(target, cache, thorough);
        if (in.state.found() && in.state.entries().isEmpty() && in.state.problems().isEmpty())
            in.note("the dynamic linker has not published any object yet (r_debug.r_version "
                    + (in.state.namespaces().isEmpty() ? "?" : in.state.namespaces().get(0).version())
                    + ", r_map NULL): the process is still starting up, or is stopped at exec; inspect it again once it runs");
        for (Check c : checks) {
            c.run(in);
            Timing.mark(c.getClass().getSimpleName());
        }
        in.findings.sort(Inspection::worstFirstThenByEntry);
        in.origins = JniOrigins.of(target, in.objects); // a JVM's extracted JNI libraries: their jar and loader
        return in;
    }

    /** Worst first, then in chain order; findings about no entry last. (Comparator.comparing would link JDK lambdas at start-up.) */
    private static int worstFirstThenByEntry(Finding a, Finding b) {
        int c = b.severity().compareTo(a.severity());
        if (c != 0) return c;
        return Integer.compare(a.entry() == null ? Integer.MAX_VALUE : a.entry(), b.entry() == null ? Integer.MAX_VALUE : b.entry());
    }

    public Target target() { return target; }
    public Memory memory() { return memory; }
    public LinkerState state() { return state; }
    public List<LoadedObject> objects() { return objects; }
    /** Where a JNI library a JVM extracted came from, or null (not a JVM, not extracted, not known). */
    public JniOrigins.Origin origin(LoadedObject o) { return origins.get(o); }
    public List<Finding> findings() { return findings; }
    public List<String> notes() { return notes; }

    public boolean glibc() {
        return "glibc".equals(state.layout().libc());
    }

    public void add(Finding f) {
        findings.add(f);
    }

    public void note(String n) {
        if (!notes.contains(n)) notes.add(n);
    }

    public DynamicComparison dynamic(LoadedObject o) {
        return dynamic.computeIfAbsent(o, x -> DynamicComparison.of(x, glibc()));
    }

    /**
     * Computed on first use for every object that is deep-checked: one batched read for
     * the whole process. Null for an object that is not deep-checked.
     */
    public RelocationComparison relocations(LoadedObject o) {
        if (relocations.isEmpty()) relocations.putAll(RelocationComparison.ofAll(objects.stream().filter(this::deepCheck).toList(), memory));
        return relocations.get(o);
    }

    /**
     * How far before the mappings' origin a file change still counts. This errs towards
     * checking (soundness: start times are known to a clock tick, file times to the
     * filesystem's granularity); FileHistory's "written after start" errs the other way.
     */
    static final long CHANGE_SLACK_MS = 2000;

    /**
     * Whether the deep memory comparisons (.dynamic and relocated data against the file)
     * run for this object. Always with --thorough and for a core (no live file to ask);
     * else only where they can find something: the object already looks wrong, or its
     * mapped inode changed after the process's mappings may have been made (its start, or
     * that of the parent it was forked from). An unchanged file cannot have lost the
     * object's relocated pages: the kernel drops private copies only on truncation or hole
     * punching, and both change the file's ctime (docs/design.md, "Deep checks").
     */
    public boolean deepCheck(LoadedObject o) {
        Boolean known = deep.get(o); // asked per relocated word: no method reference made per question
        if (known != null) return known;
        boolean d = needsDeepCheck(o);
        deep.put(o, d);
        return d;
    }

    private boolean needsDeepCheck(LoadedObject o) {
        if (thorough || !target.isLive() || looksWrong(o)) return true;
        if (!o.fileBacked()) return false; // the vDSO and anonymous objects: no file whose pages could be dropped
        Optional<FileFacts> now = target.statMapped(o.dynamicMapping());
        long origin = target.mappingsOriginMillis();
        if (now.isEmpty() || !now.get().exists() || origin <= 0) return true; // cannot tell: check
        return Math.max(now.get().mtimeMillis(), now.get().ctimeMillis()) >= origin - CHANGE_SLACK_MS;
    }

    /** Cheap signs of damage the walk already has: a problem with the entry itself or its links, an unreadable soname. */
    private boolean looksWrong(LoadedObject o) {
        LinkMapEntry e = o.entry();
        if (!e.walkProblems().isEmpty()) return true;
        for (var p : state.problems()) if (p.namespace() == e.namespace() && p.index() == e.index()) return true;
        return o.soname() != Soname.NONE && !o.soname().readable();
    }

    private List<MappedFile> mappedFiles;

    /** Every file the process maps, grouped, with the object loaded from it (if any). */
    List<MappedFile> mappedFiles() {
        if (mappedFiles == null) mappedFiles = MappedFile.compute(this);
        return mappedFiles;
    }

    /** File history of a file-backed object, or null for the vDSO and anonymous objects. */
    public FileHistory history(LoadedObject o) {
        if (!o.fileBacked() || o.fileMappings().isEmpty()) return null;
        return history.computeIfAbsent(o, x -> FileHistory.of(target, x.dynamicMapping(), x.fileMappings()));
    }

    public Severity worst() {
        return Severity.worst(findings);
    }
}
