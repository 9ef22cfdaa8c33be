package io.lminspect.preflight;

/**
 * ld.so's dynamic string tokens in RPATH, RUNPATH, LD_LIBRARY_PATH and
 * DT_NEEDED: $ORIGIN (directory of the object that names the path), $LIB and
 * $PLATFORM, bare or in braces.
 */
final class DynamicStringTokens {
    private DynamicStringTokens() {}

    /** The expanded string, or null when a token cannot be expanded (ld.so then drops that element). */
    static String expand(String s, String origin, String lib, String platform) {
        if (s.indexOf('$') < 0) return s;
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            String rest = s.substring(i + 1);
            String[][] tokens = {{"ORIGIN", origin}, {"LIB", lib}, {"PLATFORM", platform}};
            boolean matched = false;
            for (String[] t : tokens) {
                int len = tokenLength(rest, t[0]);
                if (len < 0) continue;
                if (t[1] == null) return null;
                out.append(t[1]);
                i += 1 + len;
                matched = true;
                break;
            }
            if (!matched) {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Length of "NAME" or "{NAME}" at the start of s (a bare name must end there), or -1. */
    private static int tokenLength(String s, String name) {
        if (s.startsWith("{" + name + "}")) return name.length() + 2;
        if (s.startsWith(name) && (s.length() == name.length() || !isNameChar(s.charAt(name.length())))) return name.length();
        return -1;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
