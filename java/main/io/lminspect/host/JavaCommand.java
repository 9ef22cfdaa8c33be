package io.lminspect.host;

import java.util.List;
import java.util.Set;

/**
 * What a JVM runs, from its command line: the jar of `-jar app.jar`, the main class, the
 * module's main class of `-m mod/Main`, or the source file of `java Main.java`. A bare JVM
 * is then named by its application, not as "java".
 */
public final class JavaCommand {
    /** Launcher options whose value is the next argument (java -help; `--opt=value` needs no skipping). */
    private static final Set<String> TAKES_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads", "--add-exports", "--add-opens",
            "--patch-module", "--enable-native-access", "--source", "--describe-module", "-d", "--illegal-access");

    private JavaCommand() {}

    /** The application of a java command line (argv[0] first), or null when it names none (`java -version`, an @argfile). */
    public static String application(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-jar")) return i + 1 < argv.size() ? baseName(argv.get(i + 1)) : null;
            if (a.equals("-m") || a.equals("--module")) {
                if (i + 1 >= argv.size()) return null;
                String m = argv.get(i + 1);
                return m.contains("/") ? m.substring(m.indexOf('/') + 1) : m;
            }
            if (a.startsWith("--module=")) {
                String m = a.substring("--module=".length());
                return m.contains("/") ? m.substring(m.indexOf('/') + 1) : m;
            }
            if (a.startsWith("@")) return null; // the rest is in a file we do not read
            if (TAKES_VALUE.contains(a)) {
                i++;
                continue;
            }
            if (a.startsWith("-")) continue;
            return a.endsWith(".java") ? baseName(a) : a;
        }
        return null;
    }

    private static String baseName(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
