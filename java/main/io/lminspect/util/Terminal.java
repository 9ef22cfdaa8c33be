package io.lminspect.util;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether standard output is a terminal, as isatty(1) says, read from the device behind
 * /proc/self/fd/1: a character device of a terminal driver. System.console() answers the
 * same but costs ~15 ms of a cold start on JDK 22+ (it looks up a console provider).
 */
public final class Terminal {
    private static final int S_IFMT = 0170000, S_IFCHR = 0020000;

    private Terminal() {}

    public static boolean stdout() {
        try {
            Map<String, Object> a = Files.readAttributes(Path.of("/proc/self/fd/1"), "unix:mode,rdev");
            if (((Integer) a.get("mode") & S_IFMT) != S_IFCHR) return false;
            return isTerminalMajor(major((Long) a.get("rdev")));
        } catch (Exception e) {
            return false; // closed, or no /proc: not a terminal worth colouring
        }
    }

    /** glibc's major(): bits 8-19 and 32-43 of st_rdev. */
    static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    }

    /** Linux's terminal drivers (Documentation/admin-guide/devices.txt): BSD pty slaves 3, vt/serial 4, tty/console 5, Unix98 ptys 136-143. */
    static boolean isTerminalMajor(int major) {
        return major == 3 || major == 4 || major == 5 || (major >= 136 && major <= 143);
    }
}
