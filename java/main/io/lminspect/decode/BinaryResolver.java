package io.lminspect.decode;

import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.elf.ElfNotes;
import io.lminspect.elf.FileByteSource;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the file a kernel line names: --binary when given, else by name in the
 * usual library and program directories; and its separate debug file by
 * build-id under a debug directory (.build-id/xx/rest.debug). Regular files only.
 */
public final class BinaryResolver implements AutoCloseable {
    static final List<String> LIBRARY_DIRS = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib",
            "/usr/local/lib");
    static final List<String> PROGRAM_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    /** A parsed ELF file and how it was found. */
    public record Binary(String path, String how, ElfFile elf) {}

    private final Path explicit;
    private final Path debugDir;
    private final Map<String, Binary> byPath = new LinkedHashMap<>();

    public BinaryResolver(Path explicit, Path debugDir) {
        this.explicit = explicit;
        this.debugDir = debugDir;
        if (explicit != null) open(explicit, "given with --binary", true);
        if (debugDir != null && !Files.isDirectory(debugDir))
            throw new InspectException(Failure.NOT_A_DIRECTORY, "--debug-dir " + SafeText.clean(debugDir.toString()));
    }

    /** The binary for a module name from a kernel line, or null when none is at hand. */
    public Binary find(String module) {
        if (explicit != null) return open(explicit, "given with --binary", true);
        if (module == null || module.isEmpty() || module.contains("/") || module.equals(".") || module.equals("..")) return null;
        for (String d : LIBRARY_DIRS) {
            Binary b = open(Path.of(d, module), "found by name in " + d, false);
            if (b != null) return b;
        }
        for (String d : PROGRAM_DIRS) {
            Binary b = open(Path.of(d, module), "found by name in " + d, false);
            if (b != null) return b;
        }
        return null;
    }

    /** The separate debug file of a binary, by its GNU build-id, or null. */
    public Binary debugFileFor(ElfFile elf) {
        if (debugDir == null) return null;
        String id = buildId(elf);
        if (id == null || id.length() < 3) return null;
        Path p = debugDir.resolve(".build-id").resolve(id.substring(0, 2)).resolve(id.substring(2) + ".debug");
        return open(p, "debug file by build-id " + id, false);
    }

    public static String buildId(ElfFile elf) {
        try {
            return ElfNotes.buildId(elf);
        } catch (ElfFormatException e) {
            return null;
        }
    }

    /** Opens a regular ELF file (never a FIFO or a device); null when absent, unless required. */
    Binary open(Path p, String how, boolean required) {
        String key = p.toAbsolutePath().normalize().toString();
        if (byPath.containsKey(key)) return byPath.get(key);
        Binary b = null;
        try {
            if (Files.isRegularFile(p)) {
                b = new Binary(key, how, ElfFile.parse(FileByteSource.open(p)));
            } else if (required) {
                throw new InspectException(Files.exists(p) ? Failure.NOT_A_REGULAR_FILE : Failure.NO_SUCH_FILE, "--binary " + SafeText.clean(p.toString()));
            }
        } catch (IOException e) {
            if (required) throw new InspectException(Failure.IO_ERROR, "read --binary " + SafeText.clean(p.toString()), e.getMessage()).because(e);
        } catch (ElfFormatException e) {
            if (required) throw new InspectException(Failure.NOT_ELF, "--binary " + SafeText.clean(p.toString()), SafeText.clean(e.getMessage()))
                    .because(e);
        }
        byPath.put(key, b);
        return b;
    }

    @Override
    public void close() {
        List<Binary> all = new ArrayList<>(byPath.values());
        for (Binary b : all) if (b != null) b.elf().source().close();
        byPath.clear();
    }
}
