package io.lminspect.inferior;

import io.lminspect.util.Plain;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The sorted mapping list of a target; every pointer is checked here before it is read. */
public final class Mappings {
    /** What the kernel appends to the path of an unlinked file, in /proc/PID/maps and in a core's NT_FILE. */
    public static final String DELETED = " (deleted)";

    private final List<Mapping> list;

    public Mappings(List<Mapping> list) {
        List<Mapping> l = new ArrayList<>(list);
        l.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        this.list = Collections.unmodifiableList(l);
    }

    public List<Mapping> all() { return list; }

    /** The mapping holding addr, or null. Binary search: processes may have 100k mappings. */
    public Mapping find(long addr) {
        return io.lminspect.util.AddressRanges.find(list, addr, Mapping::start, Mapping::end);
    }

    public boolean isMapped(long addr) {
        return find(addr) != null;
    }

    /** True when [addr, addr+len) lies in readable mappings (contiguous ones may be crossed). */
    public boolean isReadable(long addr, long len) {
        long a = addr;
        long end = addr + len;
        if (len < 0 || Long.compareUnsigned(end, addr) < 0) return false;
        while (Long.compareUnsigned(a, end) < 0) {
            Mapping m = find(a);
            if (m == null || !m.readable()) return false;
            a = m.end();
        }
        return true;
    }

    /** How many bytes from addr can be read without leaving readable memory (capped at max). */
    public long readableSpan(long addr, long max) {
        long a = addr;
        long got = 0;
        while (got < max) {
            Mapping m = find(a);
            if (m == null || !m.readable()) break;
            long take = Math.min(max - got, m.end() - a);
            got += take;
            a += take;
        }
        return got;
    }

    /** All mappings of the given file, in address order (none for inode 0: anonymous memory is no file). */
    public List<Mapping> ofFile(FileId file) {
        if (byFile == null) byFile = indexByFile(list);
        List<Mapping> l = byFile.get(file);
        return l == null ? List.of() : l;
    }

    /** Mappings per file, built on first use: each object asks once, and a process may map thousands of files. */
    private Map<FileId, List<Mapping>> byFile;

    private static Map<FileId, List<Mapping>> indexByFile(List<Mapping> list) {
        Map<FileId, List<Mapping>> m = new HashMap<>();
        for (Mapping x : list) if (x.inode() != 0) m.computeIfAbsent(x.fileId(), k -> new ArrayList<>(4)).add(x);
        m.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return m;
    }

    /** Parses /proc/PID/maps text (its bytes as ISO-8859-1 chars). Malformed lines are an inspection error, not a crash. */
    public static Mappings parseProcMaps(String text) {
        return parseProcMaps(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /**
     * Parses /proc/PID/maps as read: bytes, not a String (a scan parses hundreds of thousands of lines;
     * byte access skips a String's per-character checks and the copy into one).
     */
    public static Mappings parseProcMaps(byte[] b) {
        List<Mapping> out = new ArrayList<>();
        Previous prev = new Previous();
        for (int at = 0; at < b.length; ) {
            int eol = next(b, (byte) '\n', at, b.length);
            if (eol < 0) eol = b.length;
            if (eol > at) out.add(parseLine(b, at, eol, prev));
            at = eol + 1;
        }
        return new Mappings(out);
    }

    /** The line before, and where its path field lies in the same bytes: the next line of the same file reuses its decoded path. */
    private static final class Previous {
        Mapping mapping;
        int rawFrom, rawLength;
    }

    static Mapping parseLine(String line) {
        byte[] b = line.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return parseLine(b, 0, b.length, new Previous());
    }

    /** A hex field b[from, to) (maps' addresses, offsets and devices). */
    private static long hex(byte[] b, int from, int to) {
        if (to <= from || to - from > 16) throw new IllegalArgumentException("hex field");
        long v = 0;
        for (int i = from; i < to; i++) {
            int c = b[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) throw new IllegalArgumentException("hex digit");
            v = v << 4 | d;
        }
        return v;
    }

    /** The inode field b[from, to): digits (anything else is read as Long.parseLong reads it, and refused the same way). */
    private static long decimal(byte[] b, int from, int to) {
        if (to <= from || to - from > 18) return Long.parseLong(new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return Long.parseLong(new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
            v = v * 10 + d;
        }
        return v;
    }

    /** The perms field's strings, shared: "r-xp" and its kind are a few of 16 (p or s decides the last bit). */
    private static final String[] PERMS = new String[16];

    static {
        for (int i = 0; i < 16; i++)
            PERMS[i] = "" + ((i & 8) != 0 ? 'r' : '-') + ((i & 4) != 0 ? 'w' : '-') + ((i & 2) != 0 ? 'x' : '-') + ((i & 1) != 0 ? 's' : 'p');
    }

    private static String perms(byte[] b, int from, int to) {
        if (to - from != 4) throw new IllegalArgumentException("perms");
        byte r = b[from], w = b[from + 1], x = b[from + 2], ps = b[from + 3];
        if ((r == 'r' || r == '-') && (w == 'w' || w == '-') && (x == 'x' || x == '-') && (ps == 'p' || ps == 's'))
            return PERMS[(r == 'r' ? 8 : 0) | (w == 'w' ? 4 : 0) | (x == 'x' ? 2 : 0) | (ps == 's' ? 1 : 0)];
        return new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * One line, b[from, to), parsed in place: only the perms and the path become strings
     * (substrings per field were a tenth of a scan's time).
     */
    private static Mapping parseLine(byte[] b, int from, int to, Previous prev) {
        try {
            // start-end perms offset dev inode [path]; the path may contain spaces.
            int dash = field(b, '-', from, to);
            int sp1 = field(b, ' ', dash, to);
            long start = hex(b, from, dash);
            long end = hex(b, dash + 1, sp1);
            int sp2 = field(b, ' ', sp1 + 1, to);
            String perms = perms(b, sp1 + 1, sp2);
            int sp3 = field(b, ' ', sp2 + 1, to);
            long offset = hex(b, sp2 + 1, sp3);
            int sp4 = field(b, ' ', sp3 + 1, to);
            int colon = field(b, ':', sp3 + 1, sp4);
            long major = hex(b, sp3 + 1, colon);
            long minor = hex(b, colon + 1, sp4);
            int sp5 = next(b, (byte) ' ', sp4 + 1, to);
            long inode = decimal(b, sp4 + 1, sp5 < 0 ? to : sp5);
            int p = to;
            if (sp5 >= 0) {
                p = sp5;
                while (p < to && b[p] == ' ') p++;
            }
            long dev = makeDev(major, minor);
            // a file's mappings come one after another under one name: its decoded path is taken over as is
            Mapping last = prev.mapping;
            if (last != null && inode != 0 && last.inode() == inode && last.dev() == dev && prev.rawLength == to - p
                    && java.util.Arrays.equals(b, prev.rawFrom, prev.rawFrom + prev.rawLength, b, p, to))
                return prev.mapping = new Mapping(start, end, perms, offset, dev, inode, last.path(), last.deleted());
            String path = new String(b, p, to - p, java.nio.charset.StandardCharsets.ISO_8859_1);
            boolean deleted = false;
            if (inode != 0 && path.endsWith(DELETED)) {
                deleted = true;
                path = path.substring(0, path.length() - DELETED.length());
            }
            // show_map() escapes only the newline of a path, as \012 (seq_file_path(m, file, "\n"))
            if (path.contains("\\012")) path = path.replace("\\012", "\n");
            path = decodePath(path);
            prev.rawFrom = p;
            prev.rawLength = to - p;
            return prev.mapping = new Mapping(start, end, perms, offset, dev, inode, path, deleted);
        } catch (RuntimeException e) {
            throw new InspectException(Failure.MALFORMED_PROC, "maps line: "
                    + io.lminspect.util.SafeText.clean(new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1))).because(e);
        }
    }

    /** The first c in b[from, to), or -1. */
    private static int next(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return -1;
    }

    /** The first c in b[from, to); a missing field is a malformed line. */
    private static int field(byte[] b, char c, int from, int to) {
        int i = next(b, (byte) c, from, to);
        if (i < 0) throw new IllegalArgumentException("no '" + c + "'");
        return i;
    }

    /**
     * maps is read byte for byte (ISO-8859-1); file names are UTF-8 on any sane
     * system. Bytes that are not valid UTF-8 become U+FFFD, which marks the path
     * as one that cannot name the file exactly (see {@link #exactPath}).
     */
    static String decodePath(String latin1) {
        boolean ascii = true;
        for (int i = 0; i < latin1.length() && ascii; i++) ascii = latin1.charAt(i) < 0x80;
        if (ascii) return latin1;
        return new String(latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * True when a path from maps can be handed to the file system as is: valid UTF-8,
     * and encodable in the JVM's file-name encoding. Otherwise a stat by path could
     * name another file, so callers judge nothing by it.
     */
    public static boolean exactPath(String path) {
        if (path.indexOf('\uFFFD') >= 0) return false;
        boolean ascii = true;
        for (int i = 0; i < path.length() && ascii; i++) ascii = path.charAt(i) < 0x80;
        if (ascii) return true; // every file-name encoding a JVM runs with encodes ASCII (and a new encoder per call costs)
        String enc = System.getProperty("sun.jnu.encoding", "UTF-8");
        try {
            return java.nio.charset.Charset.forName(enc).newEncoder().canEncode(path);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** "major:minor" in hex, as /proc/PID/maps shows a device (the inverse of makeDev). */
    public static String devString(long dev) {
        return String.format(Plain.LOCALE, "%02x:%02x", dev >>> 8 & 0xfff, (dev & 0xff) | (dev >>> 12 & 0xfff00));
    }

    /** Linux's new_encode_dev, the st_dev value Java's unix:dev attribute reports. */
    public static long makeDev(long major, long minor) {
        return (minor & 0xff) | (major << 8) | ((minor & ~0xffL) << 12);
    }
}
