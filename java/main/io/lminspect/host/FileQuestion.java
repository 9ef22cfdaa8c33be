package io.lminspect.host;

import io.lminspect.check.MappedFile;
import io.lminspect.finding.Finding;
import io.lminspect.inferior.FileId;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.PackageOwners;
import io.lminspect.inferior.Target;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * `check --file PATH`: the question a deploy gate asks about the files it just replaced. Each
 * PATH may be the file, a symlink to it (a soname link) or a soname found in the usual library
 * directories; the answer covers the file as it is today (its inode) and every older copy still
 * mapped under its path (replaced, deleted, rewritten). A finding is about the files when it
 * names that inode or one of those paths; nothing else counts towards the exit code.
 */
public final class FileQuestion {
    static final String[] LIBRARY_DIRS = {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib",
            "/lib/i386-linux-gnu", "/usr/lib/i386-linux-gnu", "/usr/local/lib"};

    private final Set<FileId> ids = new LinkedHashSet<>();
    private final Set<String> paths = new LinkedHashSet<>();

    private FileQuestion() {}

    /** The files named, resolved now; exit 3 (one line) for a name that is nothing. */
    public static FileQuestion of(List<String> names) {
        FileQuestion q = new FileQuestion();
        for (String n : names) q.add(n);
        return q;
    }

    private void add(String name) {
        Path p = name.indexOf('/') >= 0 ? Path.of(name).toAbsolutePath().normalize() : bySoname(name);
        if (p == null || !Files.exists(p))
            throw new InspectException(Failure.NO_SUCH_FILE, SafeText.clean(name));
        try {
            if (Files.isDirectory(p)) throw new InspectException(Failure.IS_A_DIRECTORY, SafeText.clean(name));
            Path real = p.toRealPath();
            ids.add(FileId.of(Files.readAttributes(real, "unix:dev,ino")));
            // the path as given, the file it leads to, and both under merged /usr: a process names whichever it opened
            for (String s : List.of(p.toString(), real.toString())) paths.addAll(PackageOwners.aliases(s));
        } catch (IOException e) {
            throw new InspectException(Failure.IO_ERROR, "stat " + SafeText.clean(name), e.getMessage()).because(e);
        }
    }

    private static Path bySoname(String soname) {
        for (String d : LIBRARY_DIRS) {
            Path p = Path.of(d, soname);
            if (Files.exists(p)) return p;
        }
        return null;
    }

    /** Whether the process maps one of the files: today's inode, or an older one under one of the paths. */
    public boolean mappedBy(Target t) {
        for (Mapping m : t.mappings().all()) if (m.fileBacked() && (ids.contains(m.fileId()) || named(t.processView(m.path())))) return true;
        return false;
    }

    /** Whether a finding is about one of the files. */
    public boolean about(Finding f) {
        return f.file() != null && ids.contains(f.file()) || f.mappingPath() != null && named(f.mappingPath());
    }

    /** A maps path (" (deleted)" already taken off by the maps parser) under one of the names, rpm's temporary name included. */
    private boolean named(String mapsPath) {
        return paths.contains(MappedFile.stripRpmSuffix(mapsPath));
    }

    public List<String> paths() {
        return new ArrayList<>(paths);
    }
}
