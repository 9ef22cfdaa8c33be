package io.lminspect.watch;

/** A mapped file as the kernel names it: device and inode (a path can name another inode tomorrow). */
public record FileKey(long dev, long inode) {}
