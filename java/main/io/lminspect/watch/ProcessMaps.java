package io.lminspect.watch;

import java.util.Map;

/**
 * What one process maps, as the index keeps it: per file, the path the process
 * names it by and one of its mappings (for /proc/PID/map_files). startTicks
 * tells a reused PID from the process that had it; textHash tells whether maps
 * changed at all since the last read.
 */
public record ProcessMaps(int pid, long startTicks, long textHash, Map<FileKey, Use> files) {

    /** How the process maps one file. */
    public record Use(String path, boolean deleted, boolean executable, String mapFilesName) {}
}
