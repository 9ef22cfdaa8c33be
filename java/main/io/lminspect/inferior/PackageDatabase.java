package io.lminspect.inferior;

import java.util.Optional;

/**
 * Which package owns a path, and what last changed it: dpkg's today ({@link Dpkg}); an rpm
 * database would be another implementation of the same question.
 */
public interface PackageDatabase {
    /** The owner of path (or of its merged-/usr twin), or empty when no package owns it. */
    Optional<PackageInfo> about(String path);

    /** The paths about() will be asked next, so a database that searches can look for all of them at once. */
    default void expect(java.util.Collection<String> paths) {}
}
