package io.lminspect.watch;

import io.lminspect.check.MappedFile;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Mappings;
import io.lminspect.inferior.ProcFs;
import io.lminspect.util.InspectException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Reads /proc/PID/stat and /proc/PID/maps — never smaps or pagemap, which stall
 * big processes (rule 5) — and keeps only what the index needs: the real files
 * the process maps, one entry per inode.
 */
final class MapsReader {
    private MapsReader() {}

    /** The start time, or empty when the process is gone or not ours to read. */
    static Optional<Long> startTicks(int pid) {
        try {
            ProcFs.Stat s = ProcFs.stat(pid);
            if ((s.flags() & ProcFs.PF_KTHREAD) != 0) return Optional.empty();
            return Optional.of(s.startTicks());
        } catch (InspectException e) {
            return Optional.empty();
        }
    }

    /** maps text and its hash, or empty (exited, unreadable, a kernel thread with no maps). */
    record Text(String text, long hash) {}

    static Optional<Text> text(int pid) {
        byte[] b;
        try {
            b = ProcFs.readBytes(pid, "maps");
        } catch (InspectException e) {
            return Optional.empty();
        }
        if (b.length == 0) return Optional.empty();
        CRC32C crc = new CRC32C();
        crc.update(b);
        return Optional.of(new Text(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1), crc.getValue() << 32 | b.length));
    }

    /** The files of a maps text; a malformed text gives nothing rather than a half index. */
    static Map<FileKey, ProcessMaps.Use> files(String text) {
        Mappings maps;
        try {
            maps = Mappings.parseProcMaps(text);
        } catch (InspectException e) {
            return Map.of();
        }
        Map<FileKey, ProcessMaps.Use> out = new HashMap<>();
        for (Mapping m : maps.all()) {
            // memfd, SysV shm, devices, huge pages: not files anyone replaces or truncates the way check means
            if (!m.fileBacked() || MappedFile.pseudo(m.path())) continue;
            FileKey k = new FileKey(m.dev(), m.inode());
            ProcessMaps.Use u = out.get(k);
            if (u == null) out.put(k, new ProcessMaps.Use(m.path(), m.deleted(), m.executable(), m.mapFilesName()));
            else if (m.executable() && !u.executable()) out.put(k, new ProcessMaps.Use(u.path(), u.deleted(), true, u.mapFilesName()));
        }
        return out;
    }
}
