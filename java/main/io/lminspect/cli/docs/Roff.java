package io.lminspect.cli.docs;

/** Text made safe for man(7) roff: backslashes, leading control characters, and option dashes. */
final class Roff {
    private Roff() {}

    /** Running text: a backslash is roff's escape, a line opening with '.' or '\'' would be a request. */
    static String text(String s) {
        String t = s.replace("\\", "\\e");
        StringBuilder out = new StringBuilder();
        for (String line : t.split("\n", -1)) {
            if (out.length() > 0) out.append('\n');
            if (line.startsWith(".") || line.startsWith("'")) out.append("\\&");
            out.append(line);
        }
        return out.toString();
    }

    /** Option names and command lines: '-' as the ASCII minus, so they can be copied and searched for. */
    static String code(String s) {
        return text(s).replace("-", "\\-");
    }

    static String bold(String s) {
        return "\\fB" + code(s) + "\\fR";
    }

    static String italic(String s) {
        return "\\fI" + code(s) + "\\fR";
    }
}
