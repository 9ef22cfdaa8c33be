package io.lminspect.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where `make` put things (tests run after `make`, from the source tree). */
public final class Build {
    private Build() {}

    public static Path root() {
        return Path.of(System.getProperty("lminspect.root", ".")).toAbsolutePath().normalize();
    }

    /** The build directory (make BUILD=… moves it; parallel builds keep out of each other's way). */
    public static Path build() {
        return Path.of(System.getProperty("lminspect.build", root().resolve("build").toString()));
    }

    /**
     * A scratch directory outside every temp dir (lminspect rates libraries deleted
     * from /tmp, /var/tmp and $TMPDIR as info, by design).
     */
    public static Path scratchOutsideTemp() throws java.io.IOException {
        for (Path p : new Path[]{Path.of("/var/lib/lminspect-test"), Path.of(System.getProperty("user.home"), ".lminspect-test"),
                root().resolve("build/scratch")}) {
            String s = p.toAbsolutePath().toString();
            if (s.startsWith("/tmp/") || s.startsWith("/var/tmp/") || s.startsWith("/dev/shm/")) continue;
            try {
                return Files.createDirectories(p);
            } catch (java.io.IOException e) {
                // not writable here: try the next place
            }
        }
        throw new java.io.IOException("no writable scratch directory outside temp dirs");
    }

    public static Path testprog(String name) {
        Path p = build().resolve("testprogs").resolve(name);
        if (!Files.exists(p)) throw new IllegalStateException(p + " missing: run `make` before the tests");
        return p;
    }

    /** The launcher; LMINSPECT_JAR points it at this build's jar. */
    public static Path launcher() {
        return root().resolve("scripts/lminspect");
    }

    public static boolean have(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
            if (Files.isExecutable(Path.of(d, tool))) return true;
        return false;
    }
}
