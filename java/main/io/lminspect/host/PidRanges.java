package io.lminspect.host;

import java.util.List;
import java.util.TreeSet;

/** PIDs written compactly for reports: "101-105, 110, 200-201". */
public final class PidRanges {
    private PidRanges() {}

    /** Runs of consecutive PIDs as "a-b"; order and duplicates of the input do not matter. */
    public static String format(List<Integer> pids) {
        StringBuilder sb = new StringBuilder();
        Integer start = null, prev = null;
        for (int pid : new TreeSet<>(pids)) {
            if (prev != null && pid == prev + 1) {
                prev = pid;
                continue;
            }
            if (start != null) appendRun(sb, start, prev);
            start = pid;
            prev = pid;
        }
        if (start != null) appendRun(sb, start, prev);
        return sb.toString();
    }

    private static void appendRun(StringBuilder sb, int first, int last) {
        if (sb.length() > 0) sb.append(", ");
        sb.append(first);
        if (last != first) sb.append('-').append(last);
    }
}
