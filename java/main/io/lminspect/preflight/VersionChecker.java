package io.lminspect.preflight;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfSymbols;
import io.lminspect.elf.ElfVersions;
import io.lminspect.elf.Symbol;
import io.lminspect.linker.LoadedObject;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What ld.so checks for every object a dlopen maps anew: each version it
 * needs from a library (_dl_check_map_versions), then each undefined symbol
 * it binds with RTLD_NOW (_dl_lookup_symbol_x over the global scope and the
 * dlopen's own search list). Loaded objects are judged by the copy the
 * process mapped, never by today's file at their path.
 */
public final class VersionChecker {
    /** Enough to name the problem; a library built against another ABI could fail on thousands. */
    static final int MAX_SYMBOL_FINDINGS_PER_OBJECT = 20;

    private final TargetLinkerView view;
    private final LibrarySearch search;
    private final Map<Object, Optional<DefinedSymbols>> tables = new IdentityHashMap<>();
    private final List<Finding> versionFindings = new ArrayList<>();
    private final List<Finding> symbolFindings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public VersionChecker(TargetLinkerView view, LibrarySearch search) {
        this.view = view;
        this.search = search;
    }

    /** Version findings first, then symbol findings in the order ld.so relocates: the first is what dlerror() would say. */
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>(versionFindings);
        all.addAll(symbolFindings);
        return all;
    }
    public List<String> notes() { return notes; }

    public void check(List<ClosureObject> closure) {
        List<ClosureObject> fresh = new ArrayList<>();
        for (ClosureObject o : closure) if (o.kind == ClosureObject.Kind.NEW && o.elf != null) fresh.add(o);
        Map<ClosureObject, Set<String>> missing = new IdentityHashMap<>();
        for (ClosureObject o : fresh) missing.put(o, checkVersions(o, closure));
        // _dl_relocate_object runs over the new objects from the last dependency back to the library itself
        for (int i = fresh.size() - 1; i >= 0; i--) checkSymbols(fresh.get(i), closure, missing.get(fresh.get(i)));
    }

    /** A symbol table per object, keyed by what backs it (the loaded object, or the new file). */
    private Optional<DefinedSymbols> table(Object key, ElfFile elf) {
        return tables.computeIfAbsent(key, k -> {
            if (elf == null) return Optional.empty();
            try {
                return Optional.of(DefinedSymbols.of(elf));
            } catch (RuntimeException e) {
                return Optional.empty(); // unreadable tables: reported as unknown, never guessed
            }
        });
    }

    private Optional<DefinedSymbols> table(ClosureObject c) {
        return c.loaded != null ? table(c.loaded, c.loaded.elf()) : table(c, c.elf);
    }

    /** _dl_check_map_versions: the versions o needs, each against the object that provides its file. */
    private Set<String> checkVersions(ClosureObject o, List<ClosureObject> closure) {
        List<Symbol> syms = ElfSymbols.dynamic(o.elf);
        ElfVersions versions = ElfVersions.of(o.elf, syms.size());
        Set<String> missingVersions = new HashSet<>();
        for (ElfVersions.Need need : versions.needs()) {
            ClosureObject provider = provider(o, need.file(), closure);
            if (provider == null || provider.kind == ClosureObject.Kind.MISSING || provider.kind == ClosureObject.Kind.INVALID) continue;
            Optional<DefinedSymbols> t = table(provider);
            if (t.isEmpty()) {
                notes.add("cannot read the version definitions of " + SafeText.clean(provider.path) + ": versions "
                        + SafeText.clean(o.path) + " needs from it were not checked");
                continue;
            }
            if (!t.get().hasVersionDefinitions()) continue; // ld.so only warns (LD_WARN) when the provider has no versions
            for (ElfVersions.NeedAux a : need.versions()) {
                if (a.weak() || t.get().definesVersion(a.name())) continue;
                missingVersions.add(need.file() + "\0" + a.name());
                versionFindings.add(versionNotFound(o, provider, a.name()));
            }
        }
        return missingVersions;
    }

    /** Every strong undefined symbol o binds at dlopen with RTLD_NOW. */
    private void checkSymbols(ClosureObject o, List<ClosureObject> closure, Set<String> missingVersions) {
        List<Symbol> syms = ElfSymbols.dynamic(o.elf);
        ElfVersions versions = ElfVersions.of(o.elf, syms.size());
        int reported = 0, more = 0;
        List<ClosureObject> scope = scope(closure);
        for (Symbol s : syms) {
            if (s.index() == 0 || s.defined() || s.name().isEmpty() || s.binding() != Symbol.STB_GLOBAL) continue;
            int vi = versions.versionIndex(s.index());
            int idx = vi < 0 ? 0 : vi & 0x7fff;
            String version = idx >= 2 ? versions.nameOfIndex(idx) : null;
            String file = idx >= 2 ? fileOfNeededIndex(versions, idx) : null;
            if (file != null && missingVersions.contains(file + "\0" + version)) continue; // already fatal above
            Finding f = lookup(o, s.name(), version, file, scope);
            if (f == null) continue;
            if (reported++ < MAX_SYMBOL_FINDINGS_PER_OBJECT) symbolFindings.add(f);
            else more++;
        }
        if (more > 0) notes.add(more + " more unresolvable symbols of " + SafeText.clean(o.path) + " are not listed");
    }

    /** The global scope (the process's base namespace, in chain order) and then this dlopen's objects. */
    private List<ClosureObject> scope(List<ClosureObject> closure) {
        List<ClosureObject> s = new ArrayList<>();
        for (LoadedObject l : view.loaded) {
            ClosureObject same = null;
            for (ClosureObject c : closure) if (c.loaded == l) same = c;
            s.add(same != null ? same : new ClosureObject(l.entry().name(), ClosureObject.Kind.REUSED, l.entry().name(), "loaded",
                    null, l.elf(), l, null));
        }
        for (ClosureObject c : closure) if (c.kind == ClosureObject.Kind.NEW) s.add(c);
        return s;
    }

    /**
     * do_lookup_x over the scope: the first object that defines the symbol
     * wins; reaching the object the version was recorded against without a
     * match is ld.so's "not defined in file … with link time reference".
     */
    private Finding lookup(ClosureObject o, String name, String version, String file, List<ClosureObject> scope) {
        boolean unknown = false;
        for (ClosureObject c : scope) {
            Optional<DefinedSymbols> t = table(c);
            if (t.isEmpty()) {
                unknown = true;
                continue;
            }
            if (t.get().satisfies(name, version)) return null;
            if (view.ldsoReportsLinkTimeReference() && version != null && file != null && c.answersTo(file)) {
                if (unknown) break;
                return symbolNotDefined(o, c, name, version, file);
            }
        }
        if (unknown) {
            notes.add("some objects in the lookup scope could not be read: " + SafeText.clean(name) + " was not checked");
            return null;
        }
        String ld = SafeText.clean(o.path) + ": undefined symbol: " + SafeText.clean(name) + (version != null ? ", version " + SafeText.clean(version) : "");
        ClosureObject provider = null;
        for (ClosureObject c : scope) if (file != null && c.answersTo(file)) provider = c;
        if (provider != null) {
            Finding.Builder b = providerFinding(provider, ld);
            b.evidence(o.path + " (" + describe(o) + ") needs " + symbolAt(name, version) + " from " + file);
            b.evidence(whereFrom(provider) + " does not define " + symbolAt(name, version) + ", nor does any other object in the lookup scope");
            todayDefines(provider, name, version, b);
            return b.build();
        }
        return Finding.of(Severity.CRITICAL, FindingCode.VERSION_UNSATISFIED).object(o.path).mappingPath(o.path).message(ld)
                .evidence(o.path + " needs " + symbolAt(name, version) + " and no object in the lookup scope defines it")
                .consequence("dlopen fails with this message (RTLD_NOW); the process goes on without the library")
                .remedy("install a build of " + o.name + " that matches the libraries this process has loaded, or restart the process")
                .build();
    }

    private Finding symbolNotDefined(ClosureObject o, ClosureObject provider, String name, String version, String file) {
        String ld = SafeText.clean(o.path) + ": symbol " + SafeText.clean(name) + ", version " + SafeText.clean(version)
                + " not defined in file " + SafeText.clean(file) + " with link time reference";
        Finding.Builder b = providerFinding(provider, ld);
        b.evidence(o.path + " (" + describe(o) + ") needs " + symbolAt(name, version) + " from " + file);
        b.evidence(whereFrom(provider) + " does not define " + symbolAt(name, version));
        todayDefines(provider, name, version, b);
        return b.build();
    }

    private Finding versionNotFound(ClosureObject o, ClosureObject provider, String version) {
        String ld = SafeText.clean(provider.path) + ": version `" + SafeText.clean(version) + "' not found (required by "
                + SafeText.clean(o.path) + ")";
        Finding.Builder b = providerFinding(provider, ld);
        b.evidence(o.path + " (" + describe(o) + ") needs version " + version + " of " + provider.name);
        b.evidence(whereFrom(provider) + " has no version definition " + version);
        todayDefinesVersion(provider, version, b);
        return b.build();
    }

    private Finding.Builder providerFinding(ClosureObject provider, String message) {
        Finding.Builder b = Finding.of(Severity.CRITICAL, FindingCode.VERSION_UNSATISFIED).object(provider.path).message(message)
                .consequence("dlopen fails with this message; the process goes on without the library");
        if (provider.loaded != null) {
            b.mapped(provider.loaded.mappedPath(), provider.loaded.mappedFileId()).entry(provider.loaded.entry().namespace(), provider.loaded.entry().index())
                    .address(provider.loaded.entry().lAddr());
            b.remedy(provider.fileState == ClosureObject.FileState.SAME
                    ? "the loaded " + provider.name + " is older than what the library was built against: install a matching build, or upgrade " + provider.name + " and restart the process"
                    : "restart the process so it maps the current " + provider.name + " (a reload that keeps the process keeps the old copy)");
        } else {
            b.mappingPath(provider.path).remedy("install a " + provider.name + " that provides what the library was built against");
        }
        return b;
    }

    private static String whereFrom(ClosureObject provider) {
        if (provider.loaded == null) return provider.path + " (new, " + provider.foundBy + ")";
        String state = switch (provider.fileState) {
            case REPLACED -> "; that path now names another file (replaced since it was mapped)";
            case DELETED -> "; its file was deleted since it was mapped";
            default -> "";
        };
        return "the copy of " + provider.name + " the process has loaded (entry " + provider.loaded.entry().index() + ", mapped from "
                + provider.loaded.mappedPath() + (provider.loaded.dynamicMapping() != null && provider.loaded.dynamicMapping().deleted() ? " (deleted)" : "")
                + state + ")";
    }

    /** The point of the glibc-update incident: the file on disk would do, the loaded copy does not. */
    private void todayDefines(ClosureObject provider, String name, String version, Finding.Builder b) {
        if (provider.loaded == null || provider.fileState != ClosureObject.FileState.REPLACED) return;
        String path = provider.loaded.mappedPath();
        Optional<ElfFile> today = search.parseToday(path);
        if (today.isEmpty()) return;
        try {
            if (DefinedSymbols.of(today.get()).satisfies(name, version))
                b.evidence("the file at " + path + " today does define " + symbolAt(name, version) + ": only a restart picks it up");
        } catch (RuntimeException e) {
            // today's file is only evidence; unreadable, it adds nothing
        }
    }

    private void todayDefinesVersion(ClosureObject provider, String version, Finding.Builder b) {
        if (provider.loaded == null || provider.fileState != ClosureObject.FileState.REPLACED) return;
        String path = provider.loaded.mappedPath();
        Optional<ElfFile> today = search.parseToday(path);
        if (today.isEmpty()) return;
        try {
            if (DefinedSymbols.of(today.get()).definesVersion(version))
                b.evidence("the file at " + path + " today does define version " + version + ": only a restart picks it up");
        } catch (RuntimeException e) {
            // as above
        }
    }

    private static String describe(ClosureObject o) {
        return "new, " + (o.loader == null ? "the library asked for" : o.foundBy);
    }

    private static String symbolAt(String name, String version) {
        return version == null ? name : name + "@" + version;
    }

    private static ClosureObject provider(ClosureObject o, String file, List<ClosureObject> closure) {
        for (ClosureObject n : o.needed) if (n.answersTo(file)) return n;
        for (ClosureObject c : closure) if (c.answersTo(file)) return c;
        return null;
    }

    private static String fileOfNeededIndex(ElfVersions v, int idx) {
        for (ElfVersions.Need n : v.needs()) for (ElfVersions.NeedAux a : n.versions()) if (a.index() == idx) return n.file();
        return null;
    }
}
