package io.lminspect.elf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file read with positional reads (64-bit offsets; never read whole). */
public final class FileByteSource implements ByteSource {
    private final FileChannel channel;
    private final long size;
    private final String name;

    public FileByteSource(FileChannel channel, String name) {
        this.channel = channel;
        this.name = name;
        try {
            this.size = channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a regular file the caller has already vetted (see LiveProcess for how targets' paths are vetted). */
    public static FileByteSource open(Path p) throws IOException {
        return new FileByteSource(FileChannel.open(p, StandardOpenOption.READ), p.toString());
    }

    @Override public long size() { return size; }
    @Override public String name() { return name; }

    @Override
    public int read(long off, byte[] dst, int dstOff, int len) {
        try {
            int n = channel.read(ByteBuffer.wrap(dst, dstOff, len), off);
            return Math.max(n, 0);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel cannot lose data
        }
    }
}
