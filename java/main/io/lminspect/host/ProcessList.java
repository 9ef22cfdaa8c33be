package io.lminspect.host;

import io.lminspect.inferior.ProcFs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The processes of the host, from /proc (numeric directories), in PID order. */
public final class ProcessList {
    private ProcessList() {}

    public static List<Integer> all() {
        // names as strings (File.list): no Path per entry, a loop for the digits; a host of 10,000
        // processes is listed at the start of every scan, while the JIT has compiled nothing yet
        String[] names = new java.io.File("/proc").list();
        if (names == null) return List.of();
        List<Integer> pids = new ArrayList<>(names.length);
        for (String n : names) {
            if (isPid(n)) pids.add(Integer.parseInt(n));
        }
        Collections.sort(pids);
        return pids;
    }

    private static boolean isPid(String n) {
        if (n.isEmpty() || n.length() > 10) return false;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return n.length() < 10 || n.compareTo("2147483647") <= 0;
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
