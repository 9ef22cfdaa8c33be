package io.lminspect.preflight;

import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Severity;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.elf.FileByteSource;
import io.lminspect.util.Failure;
import io.lminspect.util.Hex;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** "Would dlopen(LIBRARY) succeed inside this process right now?" for one library. */
public final class Preflight {
    private Preflight() {}

    /** predictedError: what dlerror() would return (the first failure ld.so meets), or null. */
    public record Result(String library, boolean wouldSucceed, String predictedError, List<ClosureObject> objects,
                         List<Finding> findings, List<String> notes) {}

    public static Result run(TargetLinkerView view, LibrarySearch search, String argument) {
        String library = argument.indexOf('/') >= 0 && !argument.startsWith("/") ? cwdOfUs(argument) : argument;
        validate(view, library);
        List<ClosureObject> closure = new ClosureResolver(view, search).resolve(library);
        // ld.so's order: map the whole closure (a missing object stops it), check versions, then relocate
        List<Finding> findings = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        for (ClosureObject o : closure) {
            if (o.kind == ClosureObject.Kind.MISSING || o.kind == ClosureObject.Kind.INVALID) findings.add(notLoadable(o));
            if (o.kind == ClosureObject.Kind.REUSED && (o.fileState == ClosureObject.FileState.REPLACED
                    || o.fileState == ClosureObject.FileState.DELETED)) warnings.add(staleReuse(o));
        }
        List<String> notes = new ArrayList<>(view.notes);
        if (findings.isEmpty()) {
            VersionChecker vc = new VersionChecker(view, search);
            vc.check(closure);
            findings.addAll(vc.findings());
            for (String n : vc.notes()) if (!notes.contains(n)) notes.add(n);
        } else {
            notes.add("versions and symbols were not checked: ld.so stops at the object it cannot load");
        }
        String predicted = findings.isEmpty() ? null : findings.get(0).message();
        findings.addAll(warnings);
        return new Result(library, findings.stream().noneMatch(f -> f.severity() == Severity.CRITICAL), predicted, closure,
                findings, notes);
    }

    /** A library named by path must be an ELF file in the target's filesystem: anything else is bad input (exit 3). */
    static void validate(TargetLinkerView view, String library) {
        if (library.isEmpty()) throw new InspectException(Failure.BAD_ARGUMENT, "empty library name: give a soname (libfoo.so.1) or a path");
        if (library.indexOf('/') < 0) return;
        Optional<TargetFiles.Found> f = view.files.regularFile(library);
        if (f.isEmpty() && view.files.isDirectory(library))
            throw new InspectException(Failure.IS_A_DIRECTORY, SafeText.clean(library) + " (in the filesystem of " + view.describe() + ")");
        if (f.isEmpty())
            throw new InspectException(Failure.NO_SUCH_FILE, SafeText.clean(library) + " in the filesystem of " + view.describe()
                    + ", where paths are resolved under /proc/" + view.target.pid() + "/root, as the process sees them");
        try (FileByteSource s = view.files.open(f.get()).orElseThrow(
                () -> new InspectException(Failure.IO_ERROR, "open " + SafeText.clean(library) + " safely", "not a regular file, or no permission"))) {
            ElfFile.parse(s);
        } catch (ElfFormatException e) {
            throw new InspectException(Failure.NOT_ELF, SafeText.clean(library), SafeText.clean(e.getMessage())).because(e);
        }
    }

    /** A relative path on the command line means the user's working directory, as anywhere else. */
    static String cwdOfUs(String p) {
        return java.nio.file.Path.of(p).toAbsolutePath().normalize().toString();
    }

    private static Finding notLoadable(ClosureObject o) {
        String by = o.loader == null ? "the library asked for" : "DT_NEEDED of " + o.loader.path;
        return Finding.of(Severity.CRITICAL, FindingCode.NEEDED_NOT_FOUND).object(o.path != null ? o.path : o.name)
                .message(o.problem)
                .evidence(SafeText.clean(o.name) + " is " + by + (o.kind == ClosureObject.Kind.MISSING
                        ? "; not loaded in the process, and not found in RPATH, LD_LIBRARY_PATH, RUNPATH, ld.so.cache or the default directories"
                        : ""))
                .consequence("dlopen fails with this message; the process goes on without the library")
                .remedy("install " + SafeText.clean(o.name) + " where the process's dynamic linker looks, or fix the RUNPATH of the library that needs it")
                .build();
    }

    private static Finding staleReuse(ClosureObject o) {
        boolean replaced = o.fileState == ClosureObject.FileState.REPLACED;
        String mapped = o.loaded.mappedPath();
        return Finding.of(Severity.WARNING, replaced ? FindingCode.FILE_REPLACED : FindingCode.FILE_DELETED)
                .object(o.path).mapped(mapped, o.loaded.mappedFileId()).entry(o.loaded.entry().namespace(), o.loaded.entry().index())
                .address(o.loaded.entry().lAddr())
                .message("dlopen would reuse the loaded " + SafeText.clean(o.soname() != null ? o.soname() : o.name) + " (" + o.foundBy
                        + "), whose file was " + (replaced ? "replaced" : "deleted") + " since the process mapped it")
                .evidence(SafeText.clean(mapped) + (replaced ? " now names another file" : " no longer exists"))
                .evidence("new objects are bound to the old copy, not to today's file: versions and symbols are checked against the old copy")
                .consequence("libraries built against the new " + SafeText.clean(o.name) + " may fail to load in this process")
                .remedy("restart the process to load the current file")
                .build();
    }
}
