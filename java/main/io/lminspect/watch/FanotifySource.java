package io.lminspect.watch;

import io.lminspect.inferior.FileId;
import com.sun.jna.Memory;
import io.lminspect.inferior.NativeHelper;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * fanotify, one FAN_MARK_FILESYSTEM mark per filesystem that holds a mapped file,
 * with file handles in the events (FAN_REPORT_FID, and directory handle + name where
 * the kernel has them): an event is matched to an indexed file by comparing handles,
 * so nothing is opened. Needs CAP_SYS_ADMIN; the caller falls back to inotify when
 * {@link #open} is refused.
 */
final class FanotifySource implements AutoCloseable {
    // <linux/fanotify.h>
    static final int FAN_CLOEXEC = 0x1, FAN_NONBLOCK = 0x2, FAN_REPORT_FID = 0x200, FAN_REPORT_DIR_FID = 0x400,
            FAN_REPORT_NAME = 0x800, FAN_REPORT_TARGET_FID = 0x1000;
    static final int FAN_MARK_ADD = 0x1, FAN_MARK_FILESYSTEM = 0x100;
    static final long FAN_MODIFY = 0x2, FAN_ATTRIB = 0x4, FAN_CLOSE_WRITE = 0x8, FAN_MOVED_FROM = 0x40, FAN_MOVED_TO = 0x80,
            FAN_DELETE = 0x200, FAN_DELETE_SELF = 0x400, FAN_MOVE_SELF = 0x800, FAN_Q_OVERFLOW = 0x4000;
    static final int INFO_FID = 1, INFO_DFID_NAME = 2, INFO_DFID = 3;
    static final int O_RDONLY = 0, O_LARGEFILE = 0100000, O_CLOEXEC = 02000000;
    static final int METADATA_LEN = 24;
    private static final long MASK = FAN_MODIFY | FAN_ATTRIB | FAN_CLOSE_WRITE | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_DELETE
            | FAN_DELETE_SELF | FAN_MOVE_SELF;
    /** Most telling reporting first; older kernels refuse the newer flags with EINVAL. */
    private static final int[] REPORTING = {
        FAN_REPORT_FID | FAN_REPORT_DIR_FID | FAN_REPORT_NAME | FAN_REPORT_TARGET_FID, // 5.17
        FAN_REPORT_FID | FAN_REPORT_DIR_FID | FAN_REPORT_NAME,                        // 5.9
        FAN_REPORT_FID,                                                               // 5.1
    };
    private static final int BUFFER = 64 * 1024;

    private final NativeHelper h;
    private final int fd;
    private final Memory buf = new Memory(BUFFER);
    /** fsid -> marked (true) or refused (false: its files go to inotify). */
    private final Map<Long, Boolean> filesystems = new HashMap<>();
    private int lastMarkError;

    private FanotifySource(NativeHelper h, int fd) {
        this.h = h;
        this.fd = fd;
    }

    /** The source, or the refusal (EPERM without CAP_SYS_ADMIN). */
    static Opened<FanotifySource> open(NativeHelper h) {
        int err = -22;
        for (int reporting : REPORTING) {
            int fd = h.lmh_fan_init(FAN_CLOEXEC | FAN_NONBLOCK | reporting, O_RDONLY | O_LARGEFILE | O_CLOEXEC);
            if (fd >= 0) return Opened.of(new FanotifySource(h, fd));
            err = fd;
            if (fd != -22) break; // only EINVAL says "try fewer flags"
        }
        return Opened.refused(err);
    }

    /**
     * Covers a file: its filesystem is marked (once) through markPath, a path to the
     * file itself. False when this filesystem refuses a mark (no file handles, e.g.
     * some FUSE or overlay mounts): the caller watches the file's directory instead.
     */
    synchronized boolean cover(Fid fid, String markPath) {
        if (fid == null) return false;
        Boolean marked = filesystems.get(fid.fsid());
        if (marked == null) {
            int rc = h.lmh_fan_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, MASK, markPath);
            if (rc != 0) lastMarkError = rc;
            marked = rc == 0;
            filesystems.put(fid.fsid(), marked);
        }
        return marked;
    }

    /** The negative errno of the last refused mark (EPERM: fanotify_init is allowed unprivileged, filesystem marks are not). */
    synchronized int lastMarkError() {
        return lastMarkError;
    }

    synchronized int marks() {
        return (int) filesystems.values().stream().filter(b -> b).count();
    }

    /** Waits up to timeoutMs for events and hands what they name to sink. False when the descriptor failed. */
    boolean poll(int timeoutMs, WatchIndex index, HintSink sink) {
        int n = h.lmh_read_events(fd, buf, BUFFER, timeoutMs);
        if (n < 0) return false;
        if (n > 0) parse(buf.getByteBuffer(0, n).order(ByteOrder.nativeOrder()), n, index, sink, h::lmh_close);
        return true;
    }

    /** struct fanotify_event_metadata followed by info records; every length is checked before it is used (rule 2). */
    static void parse(ByteBuffer b, int n, WatchIndex index, HintSink sink, java.util.function.IntConsumer closeFd) {
        int off = 0;
        int count = 0;
        while (off + METADATA_LEN <= n) {
            int len = b.getInt(off);
            int metaLen = b.getShort(off + 6) & 0xffff;
            long mask = b.getLong(off + 8);
            int efd = b.getInt(off + 16);
            int writer = b.getInt(off + 20); // the pid of the process that caused the event
            if (len < METADATA_LEN || metaLen < METADATA_LEN || metaLen > len || off + len > n) break;
            count++;
            if (efd >= 0) closeFd.accept(efd); // only without FID reporting; never kept
            if ((mask & FAN_Q_OVERFLOW) != 0) sink.overflow();
            int flags = flags(mask);
            int info = off + metaLen;
            int end = off + len;
            boolean matched = false;
            Fid fileFid = null, dirFid = null;
            String eventName = null;
            while (flags != 0 && info + 4 <= end) {
                int type = b.get(info) & 0xff;
                int ilen = b.getShort(info + 2) & 0xffff;
                if (ilen < 4 || info + ilen > end) break;
                if ((type == INFO_FID || type == INFO_DFID_NAME || type == INFO_DFID) && ilen >= 4 + 8 + 8) {
                    int handleBytes = b.getInt(info + 12);
                    int handleEnd = info + 20 + handleBytes;
                    if (handleBytes >= 0 && handleEnd <= info + ilen) {
                        byte[] key = new byte[12 + handleBytes];
                        b.get(info + 4, key, 0, 8);                       // fsid
                        b.get(info + 16, key, 8, 4);                      // handle_type
                        b.get(info + 20, key, 12, handleBytes);           // f_handle
                        Fid fid = new Fid(key);
                        if (type == INFO_FID) {
                            fileFid = fid;
                            FileId k = index.byFid(fid);
                            if (k != null) {
                                sink.hint(k, flags, writer);
                                matched = true;
                            } else {
                                // FAN_REPORT_FID alone (5.1-5.8) names the directory of a rename or delete: look at its files
                                for (FileId d : index.byDirFid(fid, null)) {
                                    sink.hint(d, flags, writer);
                                    matched = true;
                                }
                            }
                        } else {
                            String name = type == INFO_DFID_NAME ? name(b, handleEnd, info + ilen) : null;
                            if (type == INFO_DFID_NAME) {
                                dirFid = fid;
                                eventName = name;
                            }
                            // a directory event without a name (older kernels): every mapped file of that directory
                            List<FileId> ks = index.byDirFid(fid, name == null || name.isEmpty() || name.equals(".") ? null : name);
                            for (FileId k : ks) {
                                sink.hint(k, flags, writer);
                                matched = true;
                            }
                        }
                    }
                }
                info += ilen;
            }
            // a write to a file nobody was known to map, named like a library: mapped since the last rescan?
            if (!matched && fileFid != null && (flags & (Hint.MODIFIED | Hint.SETTLED)) != 0 && (mask & (FAN_MODIFY | FAN_CLOSE_WRITE | FAN_MOVED_TO)) != 0
                    && eventName != null && looksLikeLibrary(eventName))
                sink.unindexed(fileFid, dirFid, eventName, flags, writer);
            off += len;
        }
        sink.counted(count);
    }

    /**
     * A shared object's file name (libx.so, libx.so.1.2, an extractor's libx-1.2-abcd.so or
     * JNA's jna123.tmp): only such writes are worth asking who maps the file; logs and
     * databases written all day are not.
     */
    static boolean looksLikeLibrary(String name) {
        return name.endsWith(".so") || name.contains(".so.") || name.matches("jna-?\\d+\\.tmp");
    }

    private static String name(ByteBuffer b, int from, int to) {
        int end = from;
        while (end < to && b.get(end) != 0) end++;
        byte[] s = new byte[end - from];
        b.get(from, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    static int flags(long mask) {
        int f = 0;
        if ((mask & FAN_MODIFY) != 0) f |= Hint.MODIFIED;
        if ((mask & (FAN_CLOSE_WRITE | FAN_MOVED_TO | FAN_MOVED_FROM | FAN_DELETE | FAN_DELETE_SELF | FAN_MOVE_SELF)) != 0) f |= Hint.SETTLED;
        if ((mask & FAN_ATTRIB) != 0) f |= Hint.ATTRIB;
        return f;
    }

    @Override
    public void close() {
        h.lmh_close(fd);
    }
}
