package io.lminspect.preflight;

import io.lminspect.elf.DynamicTag;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.elf.FileByteSource;
import io.lminspect.linker.LoadedObject;
import io.lminspect.inferior.FileId;
import io.lminspect.inferior.Mapping;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * ld.so's _dl_map_object for one name, inside the target: reuse a loaded
 * object that answers to the name (l_name or soname: the trap of the glibc-update incident), or
 * search DT_RPATH of the requesting chain (only when the requester has no
 * DT_RUNPATH), LD_LIBRARY_PATH, the requester's DT_RUNPATH, /etc/ld.so.cache,
 * then the default directories, and reuse a loaded object whose file is the
 * one found (same device and inode).
 */
public final class LibrarySearch implements AutoCloseable {
    static final String AS_GIVEN = "path as given";

    /** Who asks for the name: what ld.so reads from the requesting object and its loaders. */
    record Requester(String name, String origin, String rpath, String runpath, boolean nodeflib, Requester loader) {}

    /** The result for one name. */
    public record Outcome(ClosureObject.Kind kind, String path, String foundBy, ElfFile elf, LoadedObject loaded, String problem) {}

    private final TargetLinkerView view;
    private final Requester mainRequester;
    private final List<FileByteSource> opened = new ArrayList<>();

    public LibrarySearch(TargetLinkerView view) {
        this.view = view;
        LoadedObject main = view.mainProgram();
        ElfFile e = main == null ? null : main.elf();
        String exe = view.exePath;
        String origin = exe == null ? null : exe.substring(0, Math.max(exe.lastIndexOf('/'), 1));
        this.mainRequester = e == null ? new Requester("(main program)", origin, null, null, false, null)
                : new Requester(exe, origin, e.dynamic().rpath(), e.dynamic().runpath(), nodeflib(e), null);
    }

    static boolean nodeflib(ElfFile e) {
        long f = e.dynamic().get(DynamicTag.DT_FLAGS_1);
        return f > 0 && (f & DynamicTag.DF_1_NODEFLIB) != 0;
    }

    /** The requester chain of a closure object (its loaders up to the dlopen caller, taken as the main program). */
    Requester requester(ClosureObject o) {
        if (o == null) return mainRequester;
        Requester up = requester(o.loader);
        ElfFile e = o.elf;
        return new Requester(o.path, o.origin(), e == null ? null : e.dynamic().rpath(), e == null ? null : e.dynamic().runpath(),
                e != null && nodeflib(e), up);
    }

    public Outcome find(String name, ClosureObject requestedBy) {
        Requester req = requester(requestedBy);
        LoadedObject byName = loadedAnswering(name);
        if (byName != null) return reuse(byName, "already loaded (" + (name.equals(byName.entry().name()) ? "name" : "soname") + " match)");
        if (name.indexOf('/') >= 0) {
            String expanded = DynamicStringTokens.expand(name, req.origin(), view.libDir, view.platform);
            String abs = expanded == null ? null : view.absolute(expanded);
            if (abs == null) return missing(name);
            LoadedObject again = loadedAnswering(abs);
            if (again != null) return reuse(again, "already loaded (name match)");
            Optional<Outcome> o = tryPath(abs, AS_GIVEN);
            return o.orElseGet(() -> missing(name));
        }
        if (req.runpath() == null) {
            boolean didMain = false;
            for (Requester l = req; l != null; l = l.loader()) {
                if (l.rpath() == null) continue;
                Optional<Outcome> o = searchDirs(name, l.rpath(), l.origin(), "RPATH of " + l.name());
                if (o.isPresent()) return o.get();
                didMain |= l == mainRequester;
            }
            if (!didMain && mainRequester.rpath() != null) {
                Optional<Outcome> o = searchDirs(name, mainRequester.rpath(), mainRequester.origin(), "RPATH of " + mainRequester.name());
                if (o.isPresent()) return o.get();
            }
        }
        if (!view.secure && view.ldLibraryPath != null && !view.ldLibraryPath.isEmpty()) {
            Optional<Outcome> o = searchDirs(name, String.join(":", view.ldLibraryPath), mainRequester.origin(), "LD_LIBRARY_PATH");
            if (o.isPresent()) return o.get();
        }
        if (req.runpath() != null) {
            Optional<Outcome> o = searchDirs(name, req.runpath(), req.origin(), "RUNPATH of " + req.name());
            if (o.isPresent()) return o.get();
        }
        if (!req.nodeflib()) {
            Optional<String> cached = view.cache.lookup(name, view.target.elfClass());
            if (cached.isPresent()) {
                Optional<Outcome> o = tryPath(cached.get(), "ld.so.cache");
                if (o.isPresent()) return o.get();
            }
            for (String d : view.systemDirs) {
                Optional<Outcome> o = tryPath(d + "/" + name, "default directory " + d);
                if (o.isPresent()) return o.get();
            }
        }
        return missing(name);
    }

    private Optional<Outcome> searchDirs(String name, String path, String origin, String how) {
        Set<String> dirs = new LinkedHashSet<>();
        for (String d : path.split(":", -1)) {
            String x = DynamicStringTokens.expand(d.isEmpty() ? "." : d, origin, view.libDir, view.platform);
            if (x == null) continue; // an element with a token ld.so cannot expand is dropped
            String abs = view.absolute(x);
            if (abs != null) dirs.add(abs);
        }
        for (String d : dirs) {
            Optional<Outcome> o = tryPath((d.endsWith("/") ? d : d + "/") + name, how);
            if (o.isPresent()) return o;
        }
        return Optional.empty();
    }

    /**
     * One candidate file. ld.so skips files of the other ELF class or machine
     * and searches on; any other unreadable ELF stops the load.
     */
    private Optional<Outcome> tryPath(String path, String how) {
        Optional<TargetFiles.Found> f = view.files.regularFile(path);
        if (f.isEmpty()) return Optional.empty();
        LoadedObject same = loadedWithFile(f.get().id());
        if (same != null) return Optional.of(reuse(same, "already loaded (same file, found by " + how + ")"));
        Optional<FileByteSource> src = view.files.open(f.get());
        if (src.isEmpty()) return Optional.empty();
        FileByteSource s = src.get();
        opened.add(s);
        ElfFile elf;
        try {
            elf = ElfFile.parse(s);
            elf.dynamic();
        } catch (ElfFormatException e) {
            return Optional.of(new Outcome(ClosureObject.Kind.INVALID, path, how, null, null, path + ": invalid ELF header"));
        }
        if (elf.wordSize() != view.target.wordSize() || elf.machine() != view.target.machine()) {
            // in a search ld.so moves on to the next directory; a path given as is has nowhere else to go
            if (!how.equals(AS_GIVEN)) return Optional.empty();
            return Optional.of(new Outcome(ClosureObject.Kind.INVALID, path, how, null, null,
                    path + ": wrong ELF class or machine (ELF" + elf.wordSize() * 8 + ", e_machine " + elf.machine() + ")"));
        }
        if (elf.type() != ElfFile.ET_DYN && elf.type() != ElfFile.ET_EXEC)
            return Optional.of(new Outcome(ClosureObject.Kind.INVALID, path, how, null, null, path + ": only ET_DYN and ET_EXEC can be loaded"));
        return Optional.of(new Outcome(ClosureObject.Kind.NEW, path, how, elf, null, null));
    }

    private Outcome reuse(LoadedObject o, String how) {
        String name = o.entry().name().isEmpty() ? o.displayName() : o.entry().name();
        return new Outcome(ClosureObject.Kind.REUSED, name, how, o.elf(), o, null);
    }

    private static Outcome missing(String name) {
        return new Outcome(ClosureObject.Kind.MISSING, null, null, null, null,
                name + ": cannot open shared object file: No such file or directory");
    }

    /** A loaded object ld.so would hand back for this name without opening anything. */
    private LoadedObject loadedAnswering(String name) {
        for (LoadedObject o : view.loaded) if (!o.entry().name().isEmpty() && o.entry().name().equals(name)) return o;
        for (LoadedObject o : view.loaded) if (name.equals(o.soname().text())) return o;
        return null;
    }

    private LoadedObject loadedWithFile(FileId file) {
        for (LoadedObject o : view.loaded) {
            Mapping m = o.dynamicMapping();
            if (m != null && m.fileBacked() && m.fileId().equals(file)) return o;
        }
        return null;
    }

    /** Today's file at a path in the target's filesystem, parsed (for evidence about replaced objects), or empty. */
    public Optional<ElfFile> parseToday(String path) {
        Optional<TargetFiles.Found> f = view.files.regularFile(path);
        if (f.isEmpty()) return Optional.empty();
        Optional<FileByteSource> src = view.files.open(f.get());
        if (src.isEmpty()) return Optional.empty();
        opened.add(src.get());
        try {
            return Optional.of(ElfFile.parse(src.get()));
        } catch (ElfFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        for (FileByteSource s : opened) s.close();
        opened.clear();
    }
}
