package io.lminspect.host;

import io.lminspect.inferior.FileId;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Mappings;
import io.lminspect.inferior.ProcFs;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which processes map a given file, matched by device and inode (a path can
 * name a new inode while processes hold the old one). Reads only /proc/PID/maps.
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
        List<List<Holder>> holders = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) holders.add(new ArrayList<>());
        int self = (int) ProcessHandle.current().pid();
        int unread = 0;
        String unreadReason = null;
        for (int pid : ProcessList.all()) {
            if (pid == self) continue;
            String text;
            long started;
            try {
                started = ProcFs.stat(pid).startTicks();
                text = ProcFs.readText(pid, "maps");
            } catch (InspectException e) {
                if (e.failure() == Failure.NO_SUCH_PROCESS || e.failure() == Failure.PROCESS_EXITED) continue; // exited: not a gap
                unread++; // not ours to read: the answer does not cover it
                if (unreadReason == null) unreadReason = e.getMessage();
                continue;
            }
            if (text.isEmpty()) continue;
            Mappings maps;
            try {
                maps = Mappings.parseProcMaps(text);
            } catch (InspectException e) {
                continue;
            }
            for (int i = 0; i < ids.size(); i++) {
                List<Mapping> ms = maps.ofFile(ids.get(i));
                if (ms.isEmpty()) continue;
                List<String> ranges = new ArrayList<>();
                for (Mapping m : ms) ranges.add(m.range());
                String exe = exe(pid);
                if (!samePid(pid, started)) break; // the PID was reused meanwhile: its maps and exe are not one process's
                holders.get(i).add(new Holder(pid, exe, ranges));
            }
        }
        List<FileUse> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) out.add(new FileUse(files.get(i), ids.get(i).dev(), ids.get(i).inode(), holders.get(i)));
        return new Result(out, unread, unreadReason);
    }

    private static boolean samePid(int pid, long startTicks) {
        try {
            return ProcFs.stat(pid).startTicks() == startTicks;
        } catch (InspectException e) {
            return false;
        }
    }

    private static String exe(int pid) {
        try {
            return Files.readSymbolicLink(ProcFs.proc(pid, "exe")).toString();
        } catch (IOException e) {
            return null;
        }
    }
}
