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

    /** Parses /proc/PID/maps text. Malformed lines are an inspection error, not a crash. */
    public static Mappings parseProcMaps(String text) {
        List<Mapping> out = new ArrayList<>();
        for (int at = 0; at < text.length(); ) {
            int eol = text.indexOf('\n', at);
            if (eol < 0) eol = text.length();
            if (eol > at) out.add(parseLine(text, at, eol));
            at = eol + 1;
        }
        return new Mappings(out);
    }

    static Mapping parseLine(String line) {
        return parseLine(line, 0, line.length());
    }

    /**
     * One line, text[from, to), parsed in place: only the perms and the path become strings
     * (a scan parses hundreds of thousands of lines; substrings per field were a tenth of its time).
     */
    static Mapping parseLine(String text, int from, int to) {
        try {
            // start-end perms offset dev inode [path]; the path may contain spaces.
            int dash = indexOf(text, '-', from, to);
            int sp1 = indexOf(text, ' ', dash, to);
            long start = Long.parseUnsignedLong(text, from, dash, 16);
            long end = Long.parseUnsignedLong(text, dash + 1, sp1, 16);
            int sp2 = indexOf(text, ' ', sp1 + 1, to);
            String perms = text.substring(sp1 + 1, sp2);
            int sp3 = indexOf(text, ' ', sp2 + 1, to);
            long offset = Long.parseUnsignedLong(text, sp2 + 1, sp3, 16);
            int sp4 = indexOf(text, ' ', sp3 + 1, to);
            int colon = indexOf(text, ':', sp3 + 1, sp4);
            long major = Long.parseLong(text, sp3 + 1, colon, 16);
            long minor = Long.parseLong(text, colon + 1, sp4, 16);
            int sp5 = text.indexOf(' ', sp4 + 1);
            if (sp5 >= to) sp5 = -1;
            long inode = Long.parseLong(text, sp4 + 1, sp5 < 0 ? to : sp5, 10);
            String path = "";
            if (sp5 >= 0) {
                int p = sp5;
                while (p < to && text.charAt(p) == ' ') p++;
                path = text.substring(p, to);
            }
            boolean deleted = false;
            if (inode != 0 && path.endsWith(DELETED)) {
                deleted = true;
                path = path.substring(0, path.length() - DELETED.length());
            }
            // show_map() escapes only the newline of a path, as \012 (seq_file_path(m, file, "\n"))
            if (path.contains("\\012")) path = path.replace("\\012", "\n");
            path = decodePath(path);
            if (perms.length() != 4) throw new IllegalArgumentException("perms");
            return new Mapping(start, end, perms, offset, makeDev(major, minor), inode, path, deleted);
        } catch (RuntimeException e) {
            throw new InspectException(Failure.MALFORMED_PROC, "maps line: " + io.lminspect.util.SafeText.clean(text.substring(from, to))).because(e);
        }
    }

    /** The first c in text[from, to); a missing field is a malformed line. */
    private static int indexOf(String text, char c, int from, int to) {
        int i = text.indexOf(c, from);
        if (i < 0 || i >= to) throw new IllegalArgumentException("no '" + c + "'");
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
