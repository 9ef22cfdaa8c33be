package io.lminspect.watch;

/** What a source says about a file, as bits: the watcher decides from them when to look. */
final class Hint {
    /** The inode's data was written or truncated (FAN_MODIFY, IN_MODIFY). */
    static final int MODIFIED = 1;
    /** The writer is done: closed after writing, renamed over, deleted (FAN_CLOSE_WRITE, FAN_MOVED_TO, FAN_DELETE…). */
    static final int SETTLED = 2;
    /** Metadata or link count changed (FAN_ATTRIB): a rename over the file or its deletion drops its last link. */
    static final int ATTRIB = 4;
    /** The rescan's sweep saw a difference from the baseline: look now. */
    static final int SWEEP = 8;
    /**
     * Written before the index knew the file (resolved by a quick rescan): the write may have come
     * before the process mapped it (extract, then load), so the event is reported only when the
     * inspection finds a warning or worse about the file.
     */
    static final int UNINDEXED = 16;

    private Hint() {}
}
