package io.lminspect.preflight;

import io.lminspect.elf.ElfClass;
import io.lminspect.linker.LoadedObject;
import io.lminspect.inferior.Auxv;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.inferior.Memory;
import io.lminspect.inferior.ProcFs;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * What ld.so inside the target would consult for a dlopen: the objects already
 * loaded in the base namespace, LD_LIBRARY_PATH as the process started with it
 * (ld.so reads it once at start-up, so /proc/PID/environ's initial copy is the
 * right one), AT_SECURE, AT_PLATFORM, the cache and default directories of the
 * target's own filesystem.
 */
public final class TargetLinkerView {
    static final long MAX_CACHE_BYTES = 64L << 20;

    public final LiveProcess target;
    public final List<LoadedObject> loaded;
    public final TargetFiles files;
    public final LdSoCache cache;
    /** Null when the environment could not be read. */
    public final List<String> ldLibraryPath;
    public final boolean secure;
    public final String platform;
    /** What $LIB expands to (ld.so's compiled-in DL_DST_LIB; guessed from the target's layout). */
    public final String libDir;
    public final List<String> systemDirs;
    public final String exePath;
    public final String cwd;
    public final List<String> notes = new ArrayList<>();

    public TargetLinkerView(LiveProcess target, List<LoadedObject> objects) {
        this.target = target;
        List<LoadedObject> ns0 = new ArrayList<>();
        for (LoadedObject o : objects) if (o.entry().namespace() == 0) ns0.add(o);
        this.loaded = ns0;
        this.files = new TargetFiles(target.rootPath("/"));
        byte[] c = files.readSmall("/etc/ld.so.cache", MAX_CACHE_BYTES).orElse(null);
        this.cache = c == null ? LdSoCache.empty() : LdSoCache.parse(c);
        if (c == null) notes.add("/etc/ld.so.cache cannot be read in the target's filesystem: the cache step was skipped");
        this.secure = target.auxv().get(Auxv.AT_SECURE) != 0;
        this.ldLibraryPath = readLdLibraryPath(target.pid());
        if (ldLibraryPath == null) notes.add("the target's environment cannot be read: LD_LIBRARY_PATH was not considered");
        this.platform = readPlatform(target);
        ElfClass elfClass = target.elfClass();
        String triplet = elfClass.multiarchTriplet();
        if (files.isDirectory("/lib/" + triplet)) {
            libDir = "lib/" + triplet;
            systemDirs = List.of("/lib/" + triplet, "/usr/lib/" + triplet, "/lib", "/usr/lib");
        } else {
            libDir = elfClass.libDir();
            systemDirs = List.of("/" + libDir, "/usr/" + libDir);
        }
        this.exePath = target.identity().exe();
        this.cwd = readCwd(target.pid());
    }

    private static List<String> readLdLibraryPath(int pid) {
        byte[] env;
        try {
            env = ProcFs.readBytes(pid, "environ");
        } catch (InspectException e) {
            return null;
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i < env.length && env[i] != 0) continue;
            String var = new String(env, start, i - start, StandardCharsets.ISO_8859_1);
            start = i + 1;
            if (!var.startsWith("LD_LIBRARY_PATH=")) continue;
            out.clear();
            // glibc splits on ':' and ';'; an empty element means the current directory
            for (String d : var.substring(16).split("[:;]", -1)) out.add(d.isEmpty() ? "." : d);
        }
        return out;
    }

    private static String readPlatform(LiveProcess t) {
        long at = t.auxv().get(Auxv.AT_PLATFORM);
        String fallback = t.elfClass().platform();
        if (at == 0) return fallback;
        byte[] b = new Memory(t).read(at, 16);
        if (b == null) return fallback;
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        String s = new String(b, 0, n, StandardCharsets.ISO_8859_1);
        return s.isEmpty() || !s.matches("[A-Za-z0-9_]+") ? fallback : s;
    }

    private static String readCwd(int pid) {
        try {
            return Files.readSymbolicLink(ProcFs.proc(pid, "cwd")).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Boolean linkTimeWording;

    /**
     * Older ld.so (glibc 2.17 of the glibc-update incident, up to about 2.34) reports a symbol
     * missing from the very library its version was recorded against as
     * "symbol X, version V not defined in file F with link time reference";
     * newer ones say "undefined symbol: X, version V". The target's own
     * interpreter, as mapped, tells which: its message table holds the text or not.
     */
    public synchronized boolean ldsoReportsLinkTimeReference() {
        if (linkTimeWording == null) linkTimeWording = interpreterContains("with link time reference");
        return linkTimeWording;
    }

    private boolean interpreterContains(String text) {
        long base = target.auxv().get(Auxv.AT_BASE);
        for (LoadedObject o : loaded) {
            if (o.elf() == null || o.entry().lAddr() != base || base == 0) continue;
            io.lminspect.elf.ByteSource src = o.elf().source();
            long size = Math.min(src.size(), 16L << 20);
            byte[] needle = text.getBytes(StandardCharsets.ISO_8859_1);
            byte[] chunk = new byte[1 << 16];
            byte[] carry = new byte[0];
            for (long off = 0; off < size; off += chunk.length) {
                int n = src.read(off, chunk, 0, (int) Math.min(chunk.length, size - off));
                if (n <= 0) break;
                byte[] window = new byte[carry.length + n];
                System.arraycopy(carry, 0, window, 0, carry.length);
                System.arraycopy(chunk, 0, window, carry.length, n);
                if (indexOf(window, needle) >= 0) return true;
                carry = java.util.Arrays.copyOfRange(window, Math.max(0, window.length - needle.length + 1), window.length);
            }
        }
        return false;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    public LoadedObject mainProgram() {
        for (LoadedObject o : loaded) if (o.entry().isMainProgram()) return o;
        return null;
    }

    /** Makes a relative path absolute against the target's working directory (null when unknown). */
    public String absolute(String p) {
        if (p.startsWith("/")) return p;
        if (cwd == null) return null;
        return (cwd.endsWith("/") ? cwd : cwd + "/") + p;
    }

    public String describe() {
        return "process " + target.pid() + " (" + SafeText.clean(target.identity().comm()) + ")";
    }
}
