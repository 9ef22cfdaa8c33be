package io.lminspect.watch;

/** Where sources deliver what they read, already turned into indexed files. */
interface HintSink {
    void hint(FileKey key, int flags);

    /** The kernel dropped notifications (queue overflow): every file must be looked at. */
    void overflow();

    /** Every notification read, indexed file or not (a metric of how busy the filesystems are). */
    void counted(int notifications);
}
