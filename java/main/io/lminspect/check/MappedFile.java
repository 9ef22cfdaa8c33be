package io.lminspect.check;

import io.lminspect.linker.LoadedObject;
import io.lminspect.inferior.FileId;
import io.lminspect.inferior.Mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All mappings of one inode in a process, with the link_map object it belongs
 * to (if any) and the path as the process named it, rpm's temporary
 * "path;5c530fe7" suffix removed.
 */
public record MappedFile(FileId id, String mappedPath, String realPath, List<Mapping> mappings, LoadedObject object) {

    /** rpm writes "file;5c530fe7" and renames it over "file"; maps keeps the temp name of the old inode. */

    public boolean deleted() {
        for (Mapping m : mappings) if (m.deleted()) return true;
        return false;
    }

    public Mapping first() {
        return mappings.get(0);
    }

    /** Memory that is not really a file: memfd, SysV shm, /dev/zero, huge pages… never counted as deleted. */
    public static boolean pseudo(String path) {
        return path.startsWith("/memfd:") || path.startsWith("/SYSV") || path.startsWith("/dev/") || path.startsWith("/anon_hugepage")
                || path.startsWith("/[") || path.startsWith("/dmabuf") || path.startsWith("/drm") || path.startsWith("/i915");
    }

    /** rpm's temporary name ("libx.so;5c530fe7": ';' and 8 hex digits at the end) without its suffix; other paths as they are. */
    public static String stripRpmSuffix(String path) {
        // by hand, not RPM_TEMP: every mapped file of every process of a scan comes through here
        int semi = path.length() - 9;
        if (semi < 0 || path.charAt(semi) != ';') return path;
        for (int i = semi + 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return path;
        }
        return path.substring(0, semi);
    }

    /** Groups the file-backed, non-pseudo mappings of a process by inode. */
    /** The inspection's mapped files (computed once per inspection, shared by the checks). */
    static List<MappedFile> of(Inspection in) {
        return in.mappedFiles();
    }

    static List<MappedFile> compute(Inspection in) {
        Map<FileId, List<Mapping>> groups = new LinkedHashMap<>();
        for (Mapping m : in.memory().mappings().all()) {
            if (!m.fileBacked() || pseudo(m.path())) continue;
            groups.computeIfAbsent(m.fileId(), k -> new ArrayList<>()).add(m);
        }
        // the object loaded from each file (the last, as the chain lists them)
        Map<FileId, LoadedObject> owners = new java.util.HashMap<>();
        for (LoadedObject o : in.objects()) if (o.dynamicMapping() != null) owners.put(o.dynamicMapping().fileId(), o);
        List<MappedFile> out = new ArrayList<>();
        for (List<Mapping> ms : groups.values()) {
            Mapping f = ms.get(0);
            out.add(new MappedFile(f.fileId(), f.path(), stripRpmSuffix(in.target().processView(f.path())), ms, owners.get(f.fileId())));
        }
        return List.copyOf(out);
    }
}
