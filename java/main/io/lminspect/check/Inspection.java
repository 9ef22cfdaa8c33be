package io.lminspect.check;

import io.lminspect.linker.ElfCache;
import io.lminspect.linker.LinkMapEntry;
import io.lminspect.linker.LinkMapWalker;
import io.lminspect.linker.LinkerState;
import io.lminspect.linker.LoadedObject;
import io.lminspect.linker.ObjectResolver;
import io.lminspect.inferior.Memory;
import io.lminspect.inferior.Target;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final Map<LoadedObject, DynamicComparison> dynamic = new HashMap<>();
    private final Map<LoadedObject, RelocationComparison> relocations = new HashMap<>();
    private final Map<LoadedObject, FileHistory> history = new HashMap<>();

    private Inspection(Target target, ElfCache cache) {
        this.target = target;
        this.memory = new Memory(target);
        this.state = new LinkMapWalker(memory).walk();
        // A live process may map memory (a new heap arena, a new library) between our
        // reading of its maps and of its chain: re-read both before calling anything broken.
        for (int i = 0; i < RETRIES && unsettled(state) && target.refreshMappings(); i++) {
            memory = new Memory(target);
            state = new LinkMapWalker(memory).walk();
        }
        this.objects = new ObjectResolver(memory, cache).resolve(state.entries());
    }

    static final int RETRIES = 2;

    private static boolean unsettled(LinkerState s) {
        if (!s.problems().isEmpty()) return true;
        for (LinkMapEntry e : s.entries()) if (!e.walkProblems().isEmpty()) return true;
        return false;
    }

    /** LMINSPECT_TIMING=1 prints where an inspection's time goes, on stderr. */
    private static final boolean TIMING = System.getenv("LMINSPECT_TIMING") != null;

    /** Reads the target and runs the given checks. */
    public static Inspection run(Target target, ElfCache cache, List<Check> checks) {
        long t0 = System.nanoTime();
        Inspection in = new Inspection(target, cache);
        if (TIMING) System.err.printf("timing: walk+resolve %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        if (in.state.found() && in.state.entries().isEmpty() && in.state.problems().isEmpty())
            in.note("the dynamic linker has not published any object yet (r_debug.r_version "
                    + (in.state.namespaces().isEmpty() ? "?" : in.state.namespaces().get(0).version())
                    + ", r_map NULL): the process is still starting up, or is stopped at exec; inspect it again once it runs");
        for (Check c : checks) {
            long t = System.nanoTime();
            c.run(in);
            if (TIMING) System.err.printf("timing: %s %.1f ms%n", c.getClass().getSimpleName(), (System.nanoTime() - t) / 1e6);
        }
        in.findings.sort(Comparator.comparing((Finding f) -> f.severity()).reversed()
                .thenComparing(f -> f.entry() == null ? Integer.MAX_VALUE : f.entry()));
        return in;
    }

    public Target target() { return target; }
    public Memory memory() { return memory; }
    public LinkerState state() { return state; }
    public List<LoadedObject> objects() { return objects; }
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

    /** Computed for every object on first use: one batched read for the whole process. */
    public RelocationComparison relocations(LoadedObject o) {
        if (relocations.isEmpty()) relocations.putAll(RelocationComparison.ofAll(objects, memory));
        return relocations.get(o);
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
