package io.lminspect.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Real cores for tests: gcore of a running process, the kernel's core of a crash, and byte offsets inside them for patching. */
public final class CoreDumps {
    private CoreDumps() {}

    /** gcore -o DIR/g PID; returns the core. */
    public static Path gcore(int pid, Path dir) throws Exception {
        Path prefix = dir.resolve("g");
        Cli.Result r = Cli.exec(List.of("gcore", "-o", prefix.toString(), Integer.toString(pid)), 120);
        Path core = dir.resolve("g." + pid);
        if (r.rc() != 0 || !Files.exists(core)) throw new AssertionError("gcore failed: " + r.out() + r.err());
        return core;
    }

    /** The kernel's core of pid in dir (core_pattern "core", maybe with %p or core_uses_pid), or null. */
    public static Path kernelCore(Path dir, String pattern, int pid) throws IOException, InterruptedException {
        for (int i = 0; i < 50; i++) {
            try (Stream<Path> s = Files.list(dir)) {
                Path found = s.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.equals("core") || n.equals("core." + pid) || (n.startsWith("core") && n.contains(Integer.toString(pid)));
                }).findFirst().orElse(null);
                // the kernel writes the core before the parent sees the exit; a short wait covers slow disks
                if (found != null && Files.size(found) > 0) return found;
            }
            Thread.sleep(100);
        }
        return null;
    }

    /** A core's header fields and its notes, located for patching (ELF64 little-endian). */
    public record NoteAt(int type, long headerOffset, long descOffset, int descSize) {}

    public static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Offset of the program header of the first segment of the given type. */
    public static int phdrOffset(byte[] core, int type) {
        ByteBuffer b = le(core);
        long phoff = b.getLong(32);
        int phent = b.getShort(54) & 0xffff, phnum = b.getShort(56) & 0xffff;
        for (int i = 0; i < phnum; i++) {
            int o = (int) phoff + i * phent;
            if (b.getInt(o) == type) return o;
        }
        throw new AssertionError("no program header of type " + type);
    }

    /** The first note of a type in the core's PT_NOTE segment. */
    public static NoteAt note(byte[] core, int type) {
        ByteBuffer b = le(core);
        int ph = phdrOffset(core, 4);
        long off = b.getLong(ph + 8), size = b.getLong(ph + 32);
        long o = off;
        while (o + 12 <= off + size) {
            int namesz = b.getInt((int) o), descsz = b.getInt((int) o + 4), t = b.getInt((int) o + 8);
            long desc = o + 12 + ((namesz + 3) & ~3);
            if (t == type) return new NoteAt(t, o, desc, descsz);
            o = desc + ((descsz + 3L) & ~3L);
        }
        throw new AssertionError("no note of type " + type);
    }
}
