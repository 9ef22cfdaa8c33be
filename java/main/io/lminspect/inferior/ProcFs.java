package io.lminspect.inferior;

import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Small readers for /proc files, with the errors turned into one-line causes. */
public final class ProcFs {
    /** USER_HZ: 100 on every x86 Linux (the unit of /proc/PID/stat's starttime). */
    public static final long CLOCK_TICKS = 100;
    /** task flag of kernel threads (include/linux/sched.h), field 9 of /proc/PID/stat. */
    public static final int PF_KTHREAD = 0x00200000;

    private ProcFs() {}

    public static Path proc(int pid, String name) {
        return Path.of("/proc", Integer.toString(pid), name);
    }

    public static byte[] readBytes(int pid, String name) {
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/" + name)) {
            return readAll(in, MAX_READ);
        } catch (IOException e) {
            throw failure(pid, name, e);
        }
    }

    /** At most cap bytes of a /proc file: exactly cap bytes back means the file was longer (cut). */
    public static byte[] readBytes(int pid, String name, int cap) {
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/" + name)) {
            return readAll(in, cap);
        } catch (IOException e) {
            throw failure(pid, name, e);
        }
    }

    /**
     * Each thread's read buffer: a /proc file reports size 0, so Files.readAllBytes grows a
     * fresh buffer by copying, file after file (a fifth of a scan's time, by JFR samples).
     */
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[64 * 1024]);
    /** A buffer grown beyond this for one huge file is not kept. */
    private static final int KEPT = 1 << 20;
    /** A bound on one /proc file (the maps of a process with a million mappings is ~100 MB). */
    private static final int MAX_READ = 1 << 30;

    /** The whole stream through the thread's buffer, copied once. */
    static byte[] readAll(InputStream in) throws IOException {
        return readAll(in, MAX_READ);
    }

    /** At most cap bytes of the stream through the thread's buffer, copied once (cap bytes back: there was more). */
    static byte[] readAll(InputStream in, int cap) throws IOException {
        byte[] buf = BUFFER.get();
        int n = 0;
        for (int r; n < cap && (r = in.read(buf, n, Math.min(buf.length, cap) - n)) > 0; ) {
            n += r;
            if (n == buf.length && n < cap) {
                buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, cap));
                if (buf.length <= KEPT) BUFFER.set(buf);
            }
        }
        return Arrays.copyOf(buf, n);
    }

    /** The cause of a failed /proc read: the JDK names ENOENT and EACCES by type, other errnos only by their strerror text. */
    static InspectException failure(int pid, String name, IOException e) {
        String file = "/proc/" + pid + "/" + name;
        if (e instanceof NoSuchFileException) return new InspectException(Failure.NO_SUCH_PROCESS, pid).because(e);
        if (e instanceof AccessDeniedException) return new InspectException(Failure.PERMISSION, "reading " + file).because(e);
        // FileInputStream names the errno in its message: "/proc/9/auxv (No such file or directory)"
        if (e instanceof FileNotFoundException && String.valueOf(e.getMessage()).endsWith("(No such file or directory)"))
            return new InspectException(Failure.NO_SUCH_PROCESS, pid).because(e);
        // a process that exited meanwhile has lost its directory, or (a zombie) answers ESRCH
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!Files.exists(proc(pid, "")) || m.contains("No such process"))
            return new InspectException(Failure.NO_SUCH_PROCESS, pid).because(e);
        if (m.contains("Operation not permitted") || m.contains("Permission denied"))
            return new InspectException(Failure.PERMISSION, "reading " + file).because(e);
        return new InspectException(Failure.IO_ERROR, "read " + file, m).because(e);
    }

    public static String readText(int pid, String name) {
        return new String(readBytes(pid, name), StandardCharsets.ISO_8859_1);
    }

    /**
     * Fields of /proc/PID/stat: comm (between the first "(" and the last ")", as it may hold
     * spaces and parentheses), then by field number the state (3), the flags (9), the start
     * time in clock ticks (22) and start_brk (47; /proc does not publish brk itself, and the
     * end of [heap] in maps is brk rounded up to a page).
     */
    public record Stat(String comm, char state, int ppid, long startTicks, long startBrk, int flags) {
        /** The fields of a stat line, or empty when it is not one (a fake /proc may hold anything). */
        public static Optional<Stat> parse(String s) {
            int open = s.indexOf('(');
            int close = s.lastIndexOf(')');
            if (open < 0 || close < open || close + 2 > s.length()) return Optional.empty();
            // the fields after "comm) ", split at single spaces; bounds in b[2k], b[2k+1]: field N is k = N - 3
            int from = close + 2, to = s.length();
            while (from < to && s.charAt(from) <= ' ') from++;
            while (to > from && s.charAt(to - 1) <= ' ') to--;
            int[] b = new int[2 * 48];
            int n = 0;
            for (int at = from; n < 48; n++) {
                int sp = s.indexOf(' ', at);
                int end = sp < 0 || sp > to ? to : sp;
                b[2 * n] = at;
                b[2 * n + 1] = end;
                if (end == to) {
                    n++;
                    break;
                }
                at = end + 1;
            }
            if (n < 22 - 2 || b[1] == b[0]) return Optional.empty();
            try {
                long startBrk = n > 47 - 3 ? Long.parseUnsignedLong(s, b[2 * 44], b[2 * 44 + 1], 10) : 0;
                return Optional.of(new Stat(s.substring(open + 1, close), s.charAt(b[0]), Integer.parseInt(s, b[2], b[3], 10),
                        Long.parseLong(s, b[2 * 19], b[2 * 19 + 1], 10), startBrk, (int) Long.parseLong(s, b[2 * 6], b[2 * 6 + 1], 10)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        /** When the process started, as a wall-clock date. */
        public long startEpochMillis() {
            return epochMillisOfTicks(startTicks);
        }
    }

    /**
     * The executable as /proc/PID/exe names it (" (deleted)" and all), or null: a kernel
     * thread, gone, or not ours to read. The one reader of that link.
     */
    public static String exe(int pid) {
        return link(proc(pid, "exe"));
    }

    /** Where a /proc magic link points as the kernel names it (an exe link under another /proc in tests, an fd), or null. */
    public static String link(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public static Stat stat(int pid) {
        return Stat.parse(readText(pid, "stat"))
                .orElseThrow(() -> new InspectException(Failure.MALFORMED_PROC, "/proc/" + pid + "/stat"));
    }

    /**
     * Wall-clock time of boot, for turning start ticks into a date: from the native
     * helper's clocks (CLOCK_REALTIME - CLOCK_BOOTTIME: the same value on every call, so
     * no jitter between runs), else now minus /proc/uptime (10 ms precision; /proc/stat's
     * btime is whole seconds, too coarse to order a process start against a file's mtime).
     * Read on every call, never cached: when the wall clock is stepped, a long-running JVM
     * (watch, the test suite) would otherwise date every later process wrongly against
     * the files' times.
     */
    /** A time in clock ticks after boot (as /proc/PID/stat gives a start) as a wall-clock date. */
    public static long epochMillisOfTicks(long ticks) {
        return bootEpochMillis() + ticks * 1000 / CLOCK_TICKS;
    }

    public static long bootEpochMillis() {
        NativeHelper h = NativeHelper.Holder.get();
        if (h != null) return Math.round(h.lmh_boot_epoch_ns() / 1e6);
        try {
            String up = Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0];
            return System.currentTimeMillis() - Math.round(Double.parseDouble(up) * 1000);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A "Key:\tvalue" line of /proc/PID/status, or null. */
    public static String statusField(String status, String key) {
        String tag = key + ":";
        int at = status.startsWith(tag) ? 0 : status.indexOf("\n" + tag);
        if (at < 0) return null;
        int from = (at == 0 && status.startsWith(tag) ? 0 : at + 1) + tag.length();
        int eol = status.indexOf('\n', from);
        return status.substring(from, eol < 0 ? status.length() : eol).trim();
    }
}
