package io.lminspect.watch;

import io.lminspect.host.HostMaps;
import io.lminspect.inferior.FileId;
import io.lminspect.report.model.Change;
import io.lminspect.util.InspectException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watch's parts that need no kernel: change rules, coalescing, parsers of event buffers, argument parsing. */
class WatchPartsTest {
    static final FileState SAME = new FileState(FileState.Kind.SAME, 100, 1, 1);

    @Test
    void changesAreJudgedFromThePathAndTheKernelsWord() {
        assertEquals(Change.TRUNCATED, FileState.change(SAME, new FileState(FileState.Kind.SAME, 0, 2, 2), true));
        assertEquals(Change.WRITTEN, FileState.change(SAME, new FileState(FileState.Kind.SAME, 100, 2, 2), false), "mtime moved");
        assertEquals(Change.WRITTEN, FileState.change(SAME, SAME, true), "cp -p puts the mtime back; the kernel still said modified");
        assertNull(FileState.change(SAME, new FileState(FileState.Kind.SAME, 100, 1, 5), false), "chmod: ctime only");
        assertEquals(Change.REPLACED, FileState.change(SAME, FileState.REPLACED, false));
        assertEquals(Change.DELETED, FileState.change(SAME, FileState.GONE, false));
        assertNull(FileState.change(SAME, FileState.MOVED, false), "renamed away is not deleted");
        assertNull(FileState.change(FileState.REPLACED, FileState.REPLACED, true), "replaced before: no news");
        assertNull(FileState.change(FileState.GONE, FileState.GONE, true));
        assertNull(FileState.change(SAME, FileState.UNKNOWN, true), "could not look: say nothing");
    }

    @Test
    void aStormBecomesAFewWindows() throws Exception {
        Coalescer c = new Coalescer();
        FileId k = new FileId(1, 2);
        int windows = 0;
        long end = System.nanoTime() + 2_500_000_000L;
        while (System.nanoTime() < end) {
            c.offer(k, Hint.MODIFIED | Hint.SETTLED, System.nanoTime());
            windows += c.awaitDue(2_000_000L).size();
        }
        assertTrue(windows >= 1 && windows <= 4, "one window per second at most, got " + windows);
        c.offer(new FileId(1, 3), Hint.SETTLED, System.nanoTime());
        List<Coalescer.Window> w = c.awaitDue(500_000_000L);
        assertEquals(1, w.size(), "a settled file of its own comes out at once");
    }

    @Test
    void aQuietFileComesOutAfterTheQuietTime() throws Exception {
        Coalescer c = new Coalescer();
        long t0 = System.nanoTime();
        c.offer(new FileId(1, 2), Hint.MODIFIED, t0);
        List<Coalescer.Window> w = c.awaitDue(1_000_000_000L);
        long waited = System.nanoTime() - t0;
        assertEquals(1, w.size());
        assertTrue(waited >= Coalescer.QUIET_NS && waited < Coalescer.QUIET_NS + 200_000_000L, "waited " + waited / 1e6 + " ms");
    }

    private static WatchIndex indexWith(FileId k, String path, int pid) {
        WatchIndex idx = new WatchIndex();
        idx.apply(new HostMaps.ProcessMaps(pid, 1, 1, Map.of(k, new HostMaps.Use(path, false, true, List.of("1000-2000")))));
        return idx;
    }

    static final class Hints implements HintSink {
        final List<FileId> keys = new ArrayList<>();
        final List<Integer> flags = new ArrayList<>();
        int overflows;
        int counted;

        @Override public void hint(FileId key, int f) { keys.add(key); flags.add(f); }
        @Override public void overflow() { overflows++; }
        @Override public void counted(int n) { counted += n; }
    }

    /** fanotify_event_metadata + one fid record (type 1 or 2 with a name). */
    private static byte[] fanEvent(long mask, int infoType, byte[] fsid, int handleType, byte[] handle, String name) {
        byte[] nm = name == null ? new byte[0] : (name + "\0").getBytes(StandardCharsets.UTF_8);
        int info = 4 + 8 + 8 + handle.length + nm.length;
        info = (info + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(24 + info).order(ByteOrder.nativeOrder());
        b.putInt(24 + info).put((byte) 3).put((byte) 0).putShort((short) 24).putLong(mask).putInt(-1).putInt(1234);
        b.put((byte) infoType).put((byte) 0).putShort((short) info).put(fsid).putInt(handle.length).putInt(handleType).put(handle).put(nm);
        return b.array();
    }

    private static Fid fid(byte[] fsid, int type, byte[] handle) {
        ByteBuffer b = ByteBuffer.allocate(12 + handle.length).order(ByteOrder.nativeOrder());
        b.put(fsid).putInt(type).put(handle);
        return new Fid(b.array());
    }

    @Test
    void fanotifyEventsAreMatchedByHandleAndByDirectoryAndName() {
        FileId k = new FileId(0xfe00, 42);
        WatchIndex idx = indexWith(k, "/opt/app/lib/libx.so.1", 10);
        byte[] fsid = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] handle = {42, 0, 0, 0, 7, 0, 0, 0};
        byte[] dirHandle = {9, 0, 0, 0, 1, 0, 0, 0};
        idx.identify(k, fid(fsid, 1, handle), fid(fsid, 1, dirHandle));

        Hints h = new Hints();
        byte[] e1 = fanEvent(FanotifySource.FAN_MODIFY, FanotifySource.INFO_FID, fsid, 1, handle, null);
        byte[] e2 = fanEvent(FanotifySource.FAN_DELETE, FanotifySource.INFO_DFID_NAME, fsid, 1, dirHandle, "libx.so.1");
        byte[] e3 = fanEvent(FanotifySource.FAN_MODIFY, FanotifySource.INFO_DFID_NAME, fsid, 1, dirHandle, "unrelated.log");
        byte[] e4 = fanEvent(FanotifySource.FAN_MODIFY, FanotifySource.INFO_FID, fsid, 1, new byte[]{43, 0, 0, 0, 7, 0, 0, 0}, null);
        // FAN_REPORT_FID alone (older kernels) names only the directory of a delete
        byte[] e5 = fanEvent(FanotifySource.FAN_DELETE, FanotifySource.INFO_FID, fsid, 1, dirHandle, null);
        ByteBuffer all = ByteBuffer.allocate(e1.length + e2.length + e3.length + e4.length + e5.length).put(e1).put(e2).put(e3).put(e4).put(e5);
        List<Integer> closed = new ArrayList<>();
        FanotifySource.parse(all.order(ByteOrder.nativeOrder()), all.capacity(), idx, h, closed::add);
        assertEquals(List.of(k, k, k), h.keys, "the file by its handle, by its directory and name, by its directory; nothing for the others");
        assertEquals(Hint.MODIFIED, h.flags.get(0));
        assertEquals(Hint.SETTLED, h.flags.get(1));
        assertEquals(5, h.counted);
        assertTrue(closed.isEmpty());
    }

    @Test
    void truncatedOrLyingFanotifyBuffersStopTheParseNotTheWatch() {
        FileId k = new FileId(0xfe00, 42);
        WatchIndex idx = indexWith(k, "/l/libx.so", 10);
        byte[] fsid = new byte[8];
        byte[] e = fanEvent(FanotifySource.FAN_MODIFY, FanotifySource.INFO_FID, fsid, 1, new byte[8], null);
        for (int cut = 0; cut < e.length; cut++) {
            Hints h = new Hints();
            FanotifySource.parse(ByteBuffer.wrap(e).order(ByteOrder.nativeOrder()), cut, idx, h, fd -> { });
        }
        byte[] lying = e.clone();
        ByteBuffer.wrap(lying).order(ByteOrder.nativeOrder()).putInt(24 + 12, 1 << 30); // handle_bytes far past the record
        FanotifySource.parse(ByteBuffer.wrap(lying).order(ByteOrder.nativeOrder()), lying.length, idx, new Hints(), fd -> { });
        ByteBuffer overflow = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
        overflow.putInt(24).put((byte) 3).put((byte) 0).putShort((short) 24).putLong(FanotifySource.FAN_Q_OVERFLOW).putInt(-1).putInt(0);
        Hints h = new Hints();
        FanotifySource.parse(overflow, 24, idx, h, fd -> { });
        assertEquals(1, h.overflows);
    }

    @Test
    void inotifyEventsAreMatchedByDirectoryAndName() {
        FileId k = new FileId(0xfe00, 42);
        WatchIndex idx = indexWith(k, "/opt/app/lib/libx.so.1", 10);
        InotifySource src = new InotifySource(null, -1);
        src.adopt(5, InotifySource.dirKey(k, "/opt/app/lib"));
        ByteBuffer b = ByteBuffer.allocate(3 * 32).order(ByteOrder.nativeOrder());
        for (String[] ev : new String[][]{{"libx.so.1", "8"}, {"other.so", "2"}, {"libx.so.1", "128"}}) {
            byte[] name = ev[0].getBytes(StandardCharsets.UTF_8);
            b.putInt(5).putInt(Integer.parseInt(ev[1])).putInt(0).putInt(16).put(name).put(new byte[16 - name.length]);
        }
        Hints h = new Hints();
        src.parse(b, b.position(), idx, h);
        assertEquals(List.of(k, k), h.keys);
        assertEquals(3, h.counted);
    }

    @Test
    void theIndexForgetsAFileWhenItsLastUserGoesAndAReusedPidStartsAfresh() {
        FileId a = new FileId(1, 1), b = new FileId(1, 2);
        WatchIndex idx = new WatchIndex();
        var use = new HostMaps.Use("/l/a.so", false, true, List.of("1-2"));
        assertEquals(1, idx.apply(new HostMaps.ProcessMaps(7, 100, 1, Map.of(a, use))).newFiles().size());
        assertEquals(0, idx.apply(new HostMaps.ProcessMaps(8, 100, 1, Map.of(a, use))).newFiles().size(), "a second user of a known file");
        idx.apply(new HostMaps.ProcessMaps(7, 200, 2, Map.of(b, new HostMaps.Use("/l/b.so", false, true, List.of("1-2"))))); // pid 7 reused
        assertEquals(2, idx.fileCount());
        assertEquals(Map.of(8, "1-2").keySet(), idx.view(a).users().keySet(), "the reused pid no longer maps a");
        idx.remove(8);
        assertNull(idx.view(a));
        assertEquals(List.of(b), idx.byDirPath("/l", "b.so"));
        assertEquals(List.of(), idx.byDirPath("/l", "a.so"));
    }

    @Test
    void execCommandsAreSplitOnceWithoutAShell() {
        assertEquals(List.of("notify", "a b", "it's", "$HOME", "x\"y"), ArgvSplit.split("notify 'a b' \"it's\" '$HOME' x\\\"y"));
        assertThrows(InspectException.class, () -> ArgvSplit.split("a 'b"));
        assertThrows(InspectException.class, () -> ArgvSplit.split("   "));
    }

    @Test
    void durationsAndAddresses() {
        assertEquals(500, WatchDuration.parseMillis("500ms"));
        assertEquals(2000, WatchDuration.parseMillis("2s"));
        assertEquals(60_000, WatchDuration.parseMillis("1m"));
        assertEquals(5000, WatchDuration.parseMillis("5"));
        assertThrows(InspectException.class, () -> WatchDuration.parseMillis("10ms"));
        assertThrows(InspectException.class, () -> WatchDuration.parseMillis("soon"));
        assertEquals("127.0.0.1", ListenAddress.parse("9477").getAddress().getHostAddress());
        assertEquals("127.0.0.1", ListenAddress.parse(":9477").getAddress().getHostAddress());
        assertEquals(9477, ListenAddress.parse("0.0.0.0:9477").getPort());
        assertEquals("0:0:0:0:0:0:0:1", ListenAddress.parse("[::1]:9477").getAddress().getHostAddress());
        assertThrows(InspectException.class, () -> ListenAddress.parse("localhost:http"));
    }
}
