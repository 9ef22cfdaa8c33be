package io.lminspect.host;

import io.lminspect.inferior.ProcFs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The processes of the host, from /proc (numeric directories), in PID order. */
public final class ProcessList {
    private ProcessList() {}

    public static List<Integer> all() {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit) && n.length() < 11) pids.add(Integer.parseInt(n));
            }
        } catch (IOException e) {
            return List.of();
        }
        Collections.sort(pids);
        return pids;
    }

    /** True when the process's comm or its executable's file name is exactly name. */
    public static boolean matchesExe(int pid, String name) {
        try {
            if (ProcFs.stat(pid).comm().equals(name)) return true;
            String exe = ProcFs.exe(pid);
            Path file = exe == null ? null : Path.of(exe).getFileName();
            String f = file == null ? "" : file.toString();
            return f.equals(name) || f.equals(name + " (deleted)");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
