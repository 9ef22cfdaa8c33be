package io.lminspect.inferior;

/**
 * The package that owns a file, and its last change: name and installed version (dpkg's
 * status), and from its log when it was last installed or upgraded, from which version
 * (null for a first install) to which. changedAt null when the log no longer has it.
 */
public record PackageInfo(String name, String version, String changedAt, String fromVersion, String toVersion) {}
