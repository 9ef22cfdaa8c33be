package io.lminspect.watch;

import io.lminspect.inferior.FileId;

/** Where sources deliver what they read, already turned into indexed files. */
interface HintSink {
    void hint(FileId key, int flags);

    /** writerPid: the process that caused the event, as fanotify reports it (0: not said). */
    default void hint(FileId key, int flags, int writerPid) {
        hint(key, flags);
    }

    /**
     * A write to a file the index has not seen, whose name looks like a library (a JNI library
     * a JVM extracted and loaded after the last rescan): who maps it must be asked at once.
     * file: its handle; dir and name: where it is (dir null when the kernel did not say).
     */
    default void unindexed(Fid file, Fid dir, String name, int flags, int writerPid) {}

    /** The kernel dropped notifications (queue overflow): every file must be looked at. */
    void overflow();

    /** Every notification read, indexed file or not (a metric of how busy the filesystems are). */
    void counted(int notifications);
}
