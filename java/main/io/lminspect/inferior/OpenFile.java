package io.lminspect.inferior;

/** A regular file a live process has open: its path as /proc/PID/fd names it, and its identity. */
public record OpenFile(String path, FileId id) {}
