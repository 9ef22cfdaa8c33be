package io.lminspect.preflight;

import io.lminspect.linker.LoadedObject;
import io.lminspect.inferior.FileFacts;
import io.lminspect.inferior.Mapping;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The DT_NEEDED closure of a library, breadth first like _dl_map_object_deps:
 * each name is settled once (an object answering to it is reused, loaded or
 * new), new objects' own DT_NEEDED are followed, loaded ones' are not (their
 * dependencies are loaded already).
 */
public final class ClosureResolver {
    /** ld.so has no limit, but a hostile chain of names must not run away with us. */
    static final int MAX_OBJECTS = 1024;

    private final TargetLinkerView view;
    private final LibrarySearch search;

    public ClosureResolver(TargetLinkerView view, LibrarySearch search) {
        this.view = view;
        this.search = search;
    }

    /** The closure, root first, in the order ld.so would add the objects to the dlopen's search list. */
    public List<ClosureObject> resolve(String library) {
        List<ClosureObject> all = new ArrayList<>();
        ClosureObject root = settle(library, null);
        all.add(root);
        Deque<ClosureObject> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty() && all.size() < MAX_OBJECTS) {
            ClosureObject o = todo.poll();
            if (o.kind != ClosureObject.Kind.NEW || o.elf == null) continue;
            for (String n : o.elf.dynamic().needed()) {
                if (all.size() >= MAX_OBJECTS) break; // a hostile object may list thousands of DT_NEEDED names
                ClosureObject known = answering(all, n);
                if (known == null) {
                    ClosureObject c = settle(n, o);
                    known = sameObject(all, c);
                    if (known == null) {
                        all.add(c);
                        todo.add(c);
                        known = c;
                    }
                }
                o.needed.add(known);
            }
        }
        return all;
    }

    private ClosureObject settle(String name, ClosureObject requestedBy) {
        LibrarySearch.Outcome out = search.find(name, requestedBy);
        ClosureObject c = new ClosureObject(name, out.kind(), out.path(), out.foundBy(), requestedBy, out.elf(), out.loaded(), out.problem());
        if (c.kind == ClosureObject.Kind.REUSED) c.fileState = fileState(out.loaded());
        return c;
    }

    private static ClosureObject answering(List<ClosureObject> all, String name) {
        for (ClosureObject o : all) if (o.kind != ClosureObject.Kind.MISSING && o.answersTo(name)) return o;
        return null;
    }

    /** Two names may lead to one object (a soname and a file name, two links to one file). */
    private static ClosureObject sameObject(List<ClosureObject> all, ClosureObject c) {
        for (ClosureObject o : all) {
            if (c.loaded != null && o.loaded == c.loaded) return o;
            if (c.kind == ClosureObject.Kind.NEW && o.kind == ClosureObject.Kind.NEW && c.path.equals(o.path)) return o;
            if (c.kind == ClosureObject.Kind.MISSING && o.kind == ClosureObject.Kind.MISSING && c.name.equals(o.name)) return o;
        }
        return null;
    }

    /** The loaded copy against the file at its path today: the same inode, or replaced/deleted since it was mapped. */
    ClosureObject.FileState fileState(LoadedObject o) {
        Mapping m = o.dynamicMapping();
        if (m == null || !m.fileBacked()) return ClosureObject.FileState.UNKNOWN;
        Optional<FileFacts> today = view.target.statPathToday(view.target.processView(m.path()));
        if (today.isEmpty()) return m.deleted() ? ClosureObject.FileState.DELETED : ClosureObject.FileState.UNKNOWN;
        if (!today.get().exists()) return ClosureObject.FileState.DELETED;
        return today.get().sameInode(m.fileId()) && !m.deleted() ? ClosureObject.FileState.SAME : ClosureObject.FileState.REPLACED;
    }
}
