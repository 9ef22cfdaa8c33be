package io.lminspect.preflight;

import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfSymbols;
import io.lminspect.elf.ElfVersions;
import io.lminspect.elf.Symbol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dynamic symbols an object exports, with their versions, and the match
 * rule of glibc's check_match (elf/dl-lookup.c): a versioned reference takes a
 * definition of that version name, hidden or not, or an unversioned one; an
 * unversioned reference takes the default (non-hidden) version.
 */
public final class DefinedSymbols {

    record Def(int versionIndex, boolean hidden) {}

    private final Map<String, List<Def>> byName = new HashMap<>();
    private final Map<Integer, String> versionNames = new HashMap<>();
    private final Set<String> definedVersions = new HashSet<>();
    private final boolean hasVersym;

    private DefinedSymbols(ElfFile elf) {
        List<Symbol> syms = ElfSymbols.dynamic(elf);
        ElfVersions v = ElfVersions.of(elf, syms.size());
        for (ElfVersions.Definition d : v.definitions()) {
            versionNames.put(d.index(), d.name());
            if (!d.isBase()) definedVersions.add(d.name());
        }
        hasVersym = !syms.isEmpty() && v.versionIndex(0) >= 0;
        for (Symbol s : syms) {
            if (s.index() == 0 || s.name().isEmpty() || !exported(s)) continue;
            int vi = v.versionIndex(s.index());
            byName.computeIfAbsent(s.name(), k -> new ArrayList<>(1))
                    .add(new Def(vi < 0 ? 1 : vi & 0x7fff, vi >= 0 && (vi & 0x8000) != 0));
        }
    }

    public static DefinedSymbols of(ElfFile elf) {
        return new DefinedSymbols(elf);
    }

    /** What check_match accepts: defined, a global-ish binding, a type that can be bound, a value. */
    private static boolean exported(Symbol s) {
        if (!s.defined()) return false;
        int b = s.binding(), t = s.type();
        if (b != Symbol.STB_GLOBAL && b != Symbol.STB_WEAK && b != Symbol.STB_GNU_UNIQUE) return false;
        if (t != Symbol.STT_NOTYPE && t != Symbol.STT_OBJECT && t != Symbol.STT_FUNC && t != Symbol.STT_COMMON && t != Symbol.STT_TLS
                && t != Symbol.STT_GNU_IFUNC) return false;
        return s.value() != 0 || s.shndx() == Symbol.SHN_ABS || t == Symbol.STT_TLS;
    }

    /** True when the object has a version definition (not the base entry) of this name. */
    public boolean definesVersion(String version) {
        return definedVersions.contains(version);
    }

    /** True when the object has version definitions at all (otherwise ld.so checks nothing against it). */
    public boolean hasVersionDefinitions() {
        return !versionNames.isEmpty();
    }

    /** Would a reference to name (with version, or null) bind to this object? */
    public boolean satisfies(String name, String version) {
        List<Def> defs = byName.get(name);
        if (defs == null) return false;
        for (Def d : defs) {
            if (!hasVersym) return true;
            String defVersion = versionNames.get(d.versionIndex());
            if (version != null) {
                if (version.equals(defVersion)) return true;
                // an unversioned definition (no verdef for its index) satisfies a versioned reference
                if (!d.hidden() && d.versionIndex() <= 1 && defVersion == null) return true;
            } else if (d.versionIndex() <= 1 || !d.hidden()) {
                return true;
            }
        }
        return false;
    }
}
