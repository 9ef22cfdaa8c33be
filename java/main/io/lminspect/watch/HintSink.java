package io.lminspect.watch;

import io.lminspect.inferior.FileId;

/** Where sources deliver what they read, already turned into indexed files. */
interface HintSink {
    void hint(FileId key, int flags);

    /** writerPid: the process that caused the event, as fanotify reports it (0: not said). */
    default void hint(FileId key, int flags, int writerPid) {
        hint(key, flags);
    }

    /** The kernel dropped notifications (queue overflow): every file must be looked at. */
    void overflow();

    /** Every notification read, indexed file or not (a metric of how busy the filesystems are). */
    void counted(int notifications);
}
