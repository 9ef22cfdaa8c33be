package io.lminspect.inferior;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stats a host scan shares among its processes (thread-safe): a mapped inode's stat is
 * every process's answer, and so is a path's for every process that sees the host's own
 * root (our mount namespace, root "/"), where /proc/PID/root/X resolves as /X does. A
 * scan of 1,000 processes that all map libc then stats it once, not 2,000 times. Like the
 * parsed files a scan shares, each answer is as old as the scan.
 */
public final class ScanStats {
    final Map<FileId, FileFacts> inodes = new ConcurrentHashMap<>();
    final Map<String, Optional<FileFacts>> hostPaths = new ConcurrentHashMap<>();
}
