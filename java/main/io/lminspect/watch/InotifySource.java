package io.lminspect.watch;

import io.lminspect.inferior.FileId;
import com.sun.jna.Memory;
import io.lminspect.inferior.NativeHelper;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * inotify on the directories of mapped files, for when fanotify is refused (not
 * root) or a filesystem will not take a fanotify mark. A directory watch reports
 * writes, attribute changes, renames onto and deletions of the files in it, by name.
 */
final class InotifySource implements AutoCloseable {
    // <sys/inotify.h>
    static final int IN_MODIFY = 0x2, IN_ATTRIB = 0x4, IN_CLOSE_WRITE = 0x8, IN_MOVED_FROM = 0x40, IN_MOVED_TO = 0x80,
            IN_DELETE = 0x200, IN_Q_OVERFLOW = 0x4000, IN_IGNORED = 0x8000, IN_ONLYDIR = 0x01000000;
    private static final int MASK = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_ONLYDIR;
    static final int HEADER = 16;
    private static final int BUFFER = 64 * 1024;

    private final NativeHelper h;
    private final int fd;
    private final Memory buf = new Memory(BUFFER);
    /** "dev:dir" -> watch descriptor, and back (several dirs can be one inode, so one wd). */
    private final Map<String, Integer> wds = new HashMap<>();
    private final Map<Integer, Set<String>> dirs = new HashMap<>();
    private int lastError;

    InotifySource(NativeHelper h, int fd) {
        this.h = h;
        this.fd = fd;
    }

    /** The source, or the refusal (EMFILE: too many inotify instances for this user). */
    static Opened<InotifySource> open(NativeHelper h) {
        int fd = h.lmh_inotify_init();
        return fd >= 0 ? Opened.of(new InotifySource(h, fd)) : Opened.refused(fd);
    }

    static String dirKey(FileId k, String dir) {
        return k.dev() + ":" + dir;
    }

    /**
     * Watches dir (as the processes name it) through one of the given roots
     * ("/proc/PID/root", which may be gone by now). Returns the dir key, or null
     * when no root let us (ENOSPC: the user's max_user_watches is used up).
     */
    synchronized String cover(FileId k, String dir, Collection<String> roots) {
        String key = dirKey(k, dir);
        if (wds.containsKey(key)) return key;
        for (String root : roots) {
            int wd = h.lmh_inotify_add(fd, root + dir, MASK);
            if (wd >= 0) {
                adopt(wd, key);
                return key;
            }
            lastError = wd;
        }
        return null;
    }

    /** Records that watch descriptor wd watches the directory "dev:dir". */
    synchronized void adopt(int wd, String key) {
        wds.put(key, wd);
        dirs.computeIfAbsent(wd, w -> new HashSet<>()).add(key);
    }

    /** The negative errno of the last refused watch (0: none). */
    synchronized int lastError() {
        return lastError;
    }

    synchronized int watches() {
        return dirs.size();
    }

    /** Drops the watches no indexed file needs any more. */
    synchronized void retain(Set<String> needed) {
        for (var it = wds.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (needed.contains(e.getKey())) continue;
            it.remove();
            Set<String> ds = dirs.get(e.getValue());
            if (ds == null) continue;
            ds.remove(e.getKey());
            if (ds.isEmpty()) {
                dirs.remove(e.getValue());
                h.lmh_inotify_rm(fd, e.getValue());
            }
        }
    }

    boolean poll(int timeoutMs, WatchIndex index, HintSink sink) {
        int n = h.lmh_read_events(fd, buf, BUFFER, timeoutMs);
        if (n < 0) return false;
        if (n > 0) parse(buf.getByteBuffer(0, n).order(ByteOrder.nativeOrder()), n, index, sink);
        return true;
    }

    /** struct inotify_event {int wd; u32 mask, cookie, len; char name[len];}, lengths checked (rule 2). */
    void parse(ByteBuffer b, int n, WatchIndex index, HintSink sink) {
        int off = 0;
        int count = 0;
        while (off + HEADER <= n) {
            int wd = b.getInt(off);
            int mask = b.getInt(off + 4);
            int len = b.getInt(off + 12);
            if (len < 0 || off + HEADER + len > n) break;
            count++;
            if ((mask & IN_Q_OVERFLOW) != 0) sink.overflow();
            Set<String> ds;
            synchronized (this) {
                if ((mask & IN_IGNORED) != 0) { // the directory went away (or was unwatched): forget the wd
                    Set<String> gone = dirs.remove(wd);
                    if (gone != null) for (String d : gone) wds.remove(d);
                }
                ds = dirs.get(wd);
                ds = ds == null ? Set.of() : Set.copyOf(ds);
            }
            int flags = flags(mask);
            if (len > 0 && flags != 0 && !ds.isEmpty()) {
                int end = off + HEADER;
                while (end < off + HEADER + len && b.get(end) != 0) end++;
                byte[] s = new byte[end - off - HEADER];
                b.get(off + HEADER, s);
                String name = new String(s, StandardCharsets.UTF_8);
                for (String d : ds) for (FileId k : index.byDirPath(d.substring(d.indexOf(':') + 1), name)) sink.hint(k, flags);
            }
            off += HEADER + len;
        }
        sink.counted(count);
    }

    static int flags(int mask) {
        int f = 0;
        if ((mask & IN_MODIFY) != 0) f |= Hint.MODIFIED;
        if ((mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)) != 0) f |= Hint.SETTLED;
        if ((mask & IN_ATTRIB) != 0) f |= Hint.ATTRIB;
        return f;
    }

    @Override
    public void close() {
        h.lmh_close(fd);
    }
}
