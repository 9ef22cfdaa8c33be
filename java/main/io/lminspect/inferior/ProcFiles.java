package io.lminspect.inferior;

import com.sun.jna.Memory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The small /proc/PID files and links a process is opened with, read by the native helper in
 * one call relative to one /proc/PID directory (a host scan opens thousands of processes:
 * each Java open, read and close of a /proc file costs a FileInputStream, its cleaner and
 * several JNI crossings). Only the happy path: an entry that failed, did not fit or is absent
 * (no helper, or not loaded yet) is null, and the caller reads it the usual way, which names the failure.
 */
final class ProcFiles {
    /** Room for one process's files: a maps of ~1,000 lines; a larger file is read by the caller. */
    private static final int ROOM = 128 * 1024;
    private static final ThreadLocal<Memory> OUT = ThreadLocal.withInitial(() -> new Memory(ROOM));
    private static final ProcFiles NONE = new ProcFiles(new String[0], new byte[0][]);

    private final String[] names;
    private final byte[][] contents;

    private ProcFiles(String[] names, byte[][] contents) {
        this.names = names;
        this.contents = contents;
    }

    /** names: files of /proc/PID, links prefixed with '@', identities of what a link leads to with '$' (ASCII names). */
    static ProcFiles read(int pid, String... names) {
        return read(pid, ROOM, names);
    }

    /** room: at most ROOM bytes of out used (a test makes a file not fit). */
    static ProcFiles read(int pid, int room, String... names) {
        NativeHelper h = NativeHelper.Holder.ifLoaded(); // still loading: Java reads them, as fast for one process
        if (h == null) return NONE;
        StringBuilder packed = new StringBuilder();
        for (String n : names) packed.append(n).append('\0');
        byte[] nameBytes = packed.toString().getBytes(StandardCharsets.US_ASCII);
        long[] lens = new long[names.length];
        Memory out = OUT.get();
        if (h.lmh_proc_files(pid, nameBytes, names.length, out, Math.min(room, ROOM), lens) < 0) return NONE;
        byte[][] contents = new byte[names.length][];
        long off = 0;
        for (int i = 0; i < names.length; i++) {
            if (lens[i] < 0) continue;
            contents[i] = out.getByteArray(off, (int) lens[i]);
            off += lens[i];
        }
        return new ProcFiles(names, contents);
    }

    /** The file's bytes, or null: read it yourself. */
    byte[] bytes(String name) {
        int i = Arrays.asList(names).indexOf(name);
        return i < 0 ? null : contents[i];
    }

    /** The device and inode a '$'-asked name leads to, or null. */
    FileId id(String name) {
        byte[] b = bytes("$" + name);
        if (b == null || b.length != 16) return null;
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder());
        return new FileId(bb.getLong(0), bb.getLong(8));
    }

    /** True when the file or link (name as asked: '@' for a link) was read. */
    boolean has(String name) {
        return bytes(name) != null;
    }

    /** The file as ISO-8859-1 text (byte for byte), or null. */
    String text(String name) {
        byte[] b = bytes(name);
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * A link's target, or null: also for a target with non-ASCII bytes, which the caller reads
     * through the JDK so that it decodes the name exactly as every other path of the run.
     */
    String link(String name) {
        byte[] b = bytes("@" + name);
        if (b == null) return null;
        for (byte c : b) if (c < 0) return null;
        return new String(b, StandardCharsets.US_ASCII);
    }
}
