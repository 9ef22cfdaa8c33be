package io.lminspect.watch;

/** Where sources deliver what they read, already turned into indexed files. */
interface HintSink {
    void hint(FileKey key, int flags);

    /** writerPid: the process that caused the event, as fanotify reports it (0: not said). */
    default void hint(FileKey key, int flags, int writerPid) {
        hint(key, flags);
    }

    /** The kernel dropped notifications (queue overflow): every file must be looked at. */
    void overflow();

    /** Every notification read, indexed file or not (a metric of how busy the filesystems are). */
    void counted(int notifications);
}
