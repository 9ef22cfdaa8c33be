package io.lminspect.host;

import io.lminspect.inferior.FileId;
import io.lminspect.inferior.ProcFs;
import io.lminspect.inferior.ProcessStart;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which processes map a given file, matched by device and inode (a path can
 * name a new inode while processes hold the old one). Asks the host index
 * ({@link HostMaps}), which reads only /proc/PID/stat and /proc/PID/maps.
 */
public final class WhoMaps {
    public record Holder(int pid, String exe, List<String> ranges) {}

    public record FileUse(String path, long dev, long inode, List<Holder> holders) {}

    /** The files' users, and how many processes could not be read (their maps are not ours to read) with the first reason. */
    public record Result(List<FileUse> files, int unread, String unreadReason) {}

    private WhoMaps() {}

    public static FileId fileId(String file) {
        try {
            Map<String, Object> a = Files.readAttributes(Path.of(file), "unix:dev,ino,mode");
            int mode = (Integer) a.get("mode");
            if ((mode & 0170000) == 0040000) throw new InspectException(Failure.IS_A_DIRECTORY, io.lminspect.util.SafeText.clean(file));
            return FileId.of(a);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InspectException(Failure.NO_SUCH_FILE, io.lminspect.util.SafeText.clean(file));
        } catch (IOException e) {
            throw new InspectException(Failure.IO_ERROR, "stat " + io.lminspect.util.SafeText.clean(file), e.getMessage()).because(e);
        }
    }

    public static Result find(List<String> files) {
        List<FileId> ids = new ArrayList<>();
        for (String f : files) ids.add(fileId(f));
        HostMaps index = HostMaps.ofFiles(new HashSet<>(ids));
        HostMaps.Refresh read = index.refresh(true);
        Map<Integer, String> exes = new HashMap<>();
        List<FileUse> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            List<Holder> holders = new ArrayList<>();
            for (Map.Entry<Integer, List<String>> u : new TreeMap<>(index.users(ids.get(i))).entrySet()) {
                int pid = u.getKey();
                String exe = exes.computeIfAbsent(pid, ProcFs::exe);
                List<String> ranges = new ArrayList<>();
                for (String r : u.getValue()) ranges.add("0x" + r.replace("-", "-0x")); // map_files' "start-end" as addresses
                holders.add(new Holder(pid, exe, ranges));
            }
            out.add(new FileUse(files.get(i), ids.get(i).dev(), ids.get(i).inode(), holders));
        }
        // the exe links were read after the maps: a PID reused meanwhile would pair one process's maps with another's program
        for (FileUse u : out) u.holders().removeIf(h -> !stillIndexed(index, h.pid()));
        return new Result(out, read.unread(), read.unreadReason());
    }

    private static boolean stillIndexed(HostMaps index, int pid) {
        return ProcessStart.of(pid).map(s -> index.startTicks(pid) == s.startTicks()).orElse(false); // -1 when not indexed
    }
}
