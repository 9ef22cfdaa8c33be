package io.lminspect.finding;

/** The sentences several checks share, kept in one place so they read the same everywhere. */
public final class Remedies {
    public static final String RESTART_AND_INSTALL =
            "restart the process; install libraries with `install` or `mv` (a new inode), never `cp` over a mapped file";
    public static final String NEXT_DLOPEN_CRASHES =
            "the next dlopen() in this process, or in any child forked from it, crashes in strcmp inside _dl_map_object";

    private Remedies() {}
}
