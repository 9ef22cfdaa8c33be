package io.lminspect.cli;

import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;

/** PID arguments: digits only, a positive int. */
final class Pids {
    private Pids() {}

    static int parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 10 || !s.chars().allMatch(Character::isDigit))
            throw new InspectException("not a process id: '" + SafeText.clean(s) + "' (expected a number such as 1234)");
        long v = Long.parseLong(s);
        if (v <= 0 || v > Integer.MAX_VALUE) throw new InspectException("not a process id: " + s);
        return (int) v;
    }
}
