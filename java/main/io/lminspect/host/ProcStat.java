package io.lminspect.host;

import java.util.Optional;

/**
 * The fields of /proc/PID/stat a process tree needs. comm may hold spaces and
 * parentheses ("(a) b)"), so the fields start after the last ')', never at a split.
 */
record ProcStat(String comm, int ppid, long startTicks) {

    static Optional<ProcStat> parse(String text) {
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) return Optional.empty();
        String[] f = text.substring(close + 1).trim().split(" ");
        // f[0] is field 3 (state), so field N is f[N - 3]: ppid is field 4, starttime field 22
        if (f.length < 22 - 2) return Optional.empty();
        try {
            return Optional.of(new ProcStat(text.substring(open + 1, close), Integer.parseInt(f[4 - 3]), Long.parseLong(f[22 - 3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
