package io.lminspect.preflight;

import io.lminspect.elf.ElfFile;
import io.lminspect.linker.LoadedObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One object of a dlopen closure as ld.so would settle it: a file it would
 * map anew, an object of the process it would reuse, or a name it cannot
 * satisfy. Each knows who asked for it (RPATH chains and $ORIGIN need that).
 */
public final class ClosureObject {
    public enum Kind {
        NEW("new"), REUSED("reused"), MISSING("missing"), INVALID("invalid");

        public final String json;

        Kind(String json) {
            this.json = json;
        }
    }

    /** What a reused object's file is today, compared with the copy the process mapped. */
    public enum FileState {
        SAME("same"), REPLACED("replaced"), DELETED("deleted"), UNKNOWN("unknown");

        public final String json;

        FileState(String json) {
            this.json = json;
        }
    }

    public final String name;
    public final Kind kind;
    /** The path ld.so would record as l_name (new), or the loaded object's name (reused). */
    public final String path;
    /** How it was found: "argument", "loaded (soname)", "RUNPATH", "ld.so.cache"… */
    public final String foundBy;
    public final ClosureObject loader;
    /** New objects: parsed from the file on disk; reused: the copy the process mapped. Null when unreadable. */
    public final ElfFile elf;
    public final LoadedObject loaded;
    /** Missing/invalid: ld.so's error text. */
    public final String problem;
    public final List<ClosureObject> needed = new ArrayList<>();
    public FileState fileState = FileState.UNKNOWN;

    ClosureObject(String name, Kind kind, String path, String foundBy, ClosureObject loader, ElfFile elf, LoadedObject loaded,
                  String problem) {
        this.name = name;
        this.kind = kind;
        this.path = path;
        this.foundBy = foundBy;
        this.loader = loader;
        this.elf = elf;
        this.loaded = loaded;
        this.problem = problem;
        this.soname = sonameNow(elf, loaded);
    }

    /** Read while the file is open (the object is a value from here on: a report renders it after the files are closed). */
    private final String soname;

    private static String sonameNow(ElfFile elf, LoadedObject loaded) {
        if (loaded != null && loaded.soname().text() != null) return loaded.soname().text();
        if (elf == null) return null;
        try {
            return elf.dynamic().soname();
        } catch (RuntimeException e) {
            return null; // an unreadable .dynstr: no soname to show
        }
    }

    public String soname() {
        return soname;
    }

    /** The directory $ORIGIN stands for: ld.so takes it from the path it opened, links not resolved. */
    public String origin() {
        if (path == null) return null;
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** ld.so's _dl_name_match_p, as far as we can see it: l_name or soname. */
    public boolean answersTo(String n) {
        return n.equals(path) || n.equals(name) || n.equals(soname());
    }
}
