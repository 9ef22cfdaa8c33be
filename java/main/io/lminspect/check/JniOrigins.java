package io.lminspect.check;

import io.lminspect.elf.ByteSource;
import io.lminspect.inferior.FileFacts;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.OpenFile;
import io.lminspect.inferior.Target;
import io.lminspect.linker.LoadedObject;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * What a JNI library in a live JVM is: the jar it was extracted from — a jar the JVM has
 * open that holds an entry of the same size and CRC-32 as the mapped file — and the loader
 * that extracted it, known by the names its copies get (sqlite-jdbc, snappy-java, netty,
 * zstd-jni, JNA…). Only for processes that map libjvm.so, only for libraries outside the
 * JDK that the JVM extracted (born after it started, deleted, or named as an extractor
 * names them); a library's bytes are read (for the CRC) only when some entry has its size.
 */
public final class JniOrigins {
    /** Where a JNI library came from: jar and entry (null when no open jar holds its bytes), and the loader's name (null when unknown). */
    public record Origin(String jar, String entry, String loader) {}

    /** The names known extractors give their copies, most specific first. */
    private static final List<Map.Entry<Pattern, String>> LOADERS = List.of(
            Map.entry(Pattern.compile("(sqlite-[0-9.]+-[0-9a-fA-F-]+-)?libsqlitejdbc\\.so"), "sqlite-jdbc"),
            Map.entry(Pattern.compile("(snappy-[0-9.]+-[0-9a-fA-F-]+-)?libsnappyjava\\.so"), "snappy-java"),
            Map.entry(Pattern.compile("libnetty_tcnative.*\\.so"), "netty-tcnative"),
            Map.entry(Pattern.compile("libnetty_.*\\.so"), "netty"),
            Map.entry(Pattern.compile("libzstd-jni.*\\.so"), "zstd-jni"),
            Map.entry(Pattern.compile("librocksdbjni.*\\.so"), "rocksdbjni"),
            Map.entry(Pattern.compile("liblz4-java.*\\.so"), "lz4-java"),
            Map.entry(Pattern.compile("libconscrypt_openjdk_jni.*\\.so"), "conscrypt"),
            Map.entry(Pattern.compile("jna-?\\d+\\.tmp|libjnidispatch\\.so"), "JNA"));

    /** Open jars looked at per process, at most; a library's bytes hashed up to this size. */
    static final int MAX_JARS = 256;
    static final long MAX_LIBRARY_BYTES = 256L << 20;

    /** Jar directories read in this JVM, by identity and size (a host scan reads sqlite-jdbc's once). */
    private static final Map<String, JarIndex> JARS = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JarIndex> e) {
            return size() > 128;
        }
    };

    private JniOrigins() {}

    public static Map<LoadedObject, Origin> of(Target t, List<LoadedObject> objects) {
        if (!t.isLive()) return Map.of();
        String jdk = null;
        for (Mapping m : t.mappings().all()) {
            if (m.fileBacked() && m.path().endsWith("/libjvm.so")) {
                // .../lib/server/libjvm.so: the JDK is two levels up
                String p = m.path();
                int lib = p.lastIndexOf("/lib/");
                jdk = lib > 0 ? p.substring(0, lib + 1) : p;
                break;
            }
        }
        if (jdk == null) return Map.of(); // not a JVM: the common case of a host scan
        Map<LoadedObject, Origin> out = new IdentityHashMap<>();
        List<OpenFile> jars = null;
        long started = t.identity().startEpochMillis();
        for (LoadedObject o : objects) {
            if (!o.fileBacked() || o.fileMappings().isEmpty()) continue;
            Mapping m = o.fileMappings().get(0);
            String path = m.path();
            if (path.startsWith(jdk)) continue;
            String name = path.substring(path.lastIndexOf('/') + 1);
            String loader = loader(name);
            Optional<FileFacts> facts = t.statMapped(m);
            boolean extracted = m.deleted() || FileIdentityCheck.ownCopy(facts.orElse(null), started);
            if (loader == null && !extracted) continue;
            if (jars == null) jars = t.openFiles(".jar", MAX_JARS);
            JarIndex.Entry from = null;
            String jar = null;
            long size = facts.map(FileFacts::size).orElse(-1L);
            Long crc = null;
            for (OpenFile f : jars) {
                JarIndex idx = index(t, f);
                for (JarIndex.Entry e : idx.entries()) {
                    if (e.size() != size || size <= 0) continue;
                    if (crc == null) crc = crc(t, m, size);
                    if (crc != null && crc == e.crc()) {
                        from = e;
                        jar = f.path();
                        break;
                    }
                }
                if (from != null) break;
            }
            if (from == null && loader == null) continue; // extracted by something we cannot name: say nothing
            out.put(o, new Origin(jar, from == null ? null : from.name(), loader));
        }
        return out;
    }

    static String loader(String fileName) {
        for (Map.Entry<Pattern, String> l : LOADERS) if (l.getKey().matcher(fileName).matches()) return l.getValue();
        return null;
    }

    private static JarIndex index(Target t, OpenFile f) {
        String key = f.id().dev() + ":" + f.id().inode();
        synchronized (JARS) {
            JarIndex known = JARS.get(key);
            if (known != null) return known;
        }
        JarIndex idx = t.open(f).map(src -> {
            try (ByteSource s = src) {
                return JarIndex.read(s);
            }
        }).orElse(new JarIndex(List.of()));
        synchronized (JARS) {
            JARS.put(key, idx);
        }
        return idx;
    }

    /** CRC-32 of the mapped file's bytes (the inode the process maps), or null when it cannot be read whole. */
    private static Long crc(Target t, Mapping m, long size) {
        if (size > MAX_LIBRARY_BYTES) return null;
        Optional<ByteSource> src = t.openMappedFile(m);
        if (src.isEmpty()) return null;
        try (ByteSource s = src.get()) {
            CRC32 c = new CRC32();
            byte[] buf = new byte[1 << 20];
            for (long off = 0; off < size; ) {
                int n = s.read(off, buf, 0, (int) Math.min(buf.length, size - off));
                if (n <= 0) return null;
                c.update(buf, 0, n);
                off += n;
            }
            return c.getValue();
        }
    }
}
