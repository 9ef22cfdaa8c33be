package io.lminspect.watch;

import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.util.ArrayList;
import java.util.List;

/**
 * --exec CMD split into argv once, at start-up, the way a shell splits words
 * ('single', "double" with \\ escapes, \ outside quotes) but without any
 * expansion: no shell ever sees a string built from what a target named.
 */
public final class ArgvSplit {
    private ArgvSplit() {}

    public static List<String> split(String cmd) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < cmd.length(); i++) {
            char c = cmd.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0;
                else w.append(c);
            } else if (quote == '"') {
                if (c == '"') quote = 0;
                else if (c == '\\' && i + 1 < cmd.length() && "\"\\$`".indexOf(cmd.charAt(i + 1)) >= 0) w.append(cmd.charAt(++i));
                else w.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < cmd.length()) {
                w.append(cmd.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new InspectException(Failure.BAD_ARGUMENT, "--exec: unterminated " + quote + " quote");
        if (inWord) out.add(w.toString());
        if (out.isEmpty()) throw new InspectException(Failure.BAD_ARGUMENT, "--exec: no command given");
        return List.copyOf(out);
    }
}
