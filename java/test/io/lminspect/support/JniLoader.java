package io.lminspect.support;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A child JVM for tests: loads the JNI libraries of real Java libraries the way their own
 * code does (each extracts its .so to java.io.tmpdir after the JVM started), prints
 * "ready PID", then follows commands on stdin, one per line:
 * <ul>
 *   <li>{@code write PATH}: writes sqlite-jdbc's libsqlitejdbc.so to PATH with FileOutputStream
 *       (O_TRUNC: over an existing file, the same inode), as a fixed-name extractor does</li>
 *   <li>{@code load PATH}: System.load(PATH)</li>
 * </ul>
 * and answers each with "done". Arguments: which libraries to load first
 * (sqlite, snappy, zstd, netty, jna).
 */
public final class JniLoader {
    private JniLoader() {}

    public static void main(String[] args) throws Exception {
        for (String a : args) load(a);
        System.out.println("ready " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] c = line.split(" ", 2);
            if (c[0].equals("write")) write(c[1]);
            else if (c[0].equals("load")) System.load(c[1]);
            System.out.println("done " + line);
        }
    }

    private static void load(String lib) throws Exception {
        switch (lib) {
            case "sqlite" -> {
                try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:"); var s = c.createStatement()) {
                    s.execute("select 1");
                }
            }
            case "snappy" -> org.xerial.snappy.Snappy.compress(new byte[64]);
            case "zstd" -> com.github.luben.zstd.Zstd.compress(new byte[64]);
            case "netty" -> {
                if (!io.netty.channel.epoll.Epoll.isAvailable()) throw new IllegalStateException("epoll: " + io.netty.channel.epoll.Epoll.unavailabilityCause());
            }
            case "jna" -> com.sun.jna.Native.getNativeSize(long.class);
            default -> throw new IllegalArgumentException(lib);
        }
    }

    private static void write(String path) throws Exception {
        try (InputStream r = org.sqlite.JDBC.class.getResourceAsStream("/org/sqlite/native/Linux/x86_64/libsqlitejdbc.so");
             FileOutputStream out = new FileOutputStream(path)) {
            r.transferTo(out);
        }
    }
}
