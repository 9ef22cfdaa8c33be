package io.lminspect.cli;

import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;

/** PID arguments: digits only, a positive int. */
final class Pids {
    private Pids() {}

    static int parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 10 || !s.chars().allMatch(Character::isDigit))
            throw new InspectException(Failure.NOT_A_PID, SafeText.clean(s));
        long v = Long.parseLong(s);
        if (v <= 0 || v > Integer.MAX_VALUE) throw new InspectException(Failure.NOT_A_PID, s);
        return (int) v;
    }
}
