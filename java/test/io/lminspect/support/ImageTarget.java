package io.lminspect.support;

import io.lminspect.elf.ByteSource;
import io.lminspect.elf.ElfClass;
import io.lminspect.inferior.Auxv;
import io.lminspect.inferior.FileFacts;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.Mappings;
import io.lminspect.inferior.ProcessIdentity;
import io.lminspect.inferior.ReadRequest;
import io.lminspect.inferior.RegisterSnapshot;
import io.lminspect.inferior.Target;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Target whose memory a test writes by hand: mappings backed by byte arrays
 * (little-endian, like x86), and an auxv. No process, no file, no registers:
 * what the walk and the locator need, and nothing they could reach by accident.
 */
public final class ImageTarget implements Target {
    private record Region(Mapping mapping, byte[] bytes) {}

    private final ElfClass elfClass;
    private final List<Region> regions = new ArrayList<>();
    private final ByteBuffer auxv = ByteBuffer.allocate(32 * 16).order(ByteOrder.LITTLE_ENDIAN);
    private long readCalls;

    public ImageTarget(ElfClass elfClass) {
        this.elfClass = elfClass;
    }

    /** Maps size zero bytes at start (perms as in /proc/PID/maps, e.g. "rw-p"; path null for anonymous memory). */
    public ImageTarget map(long start, int size, String perms, String path) {
        regions.add(new Region(new Mapping(start, start + size, perms, 0, 0, 0, path, false), new byte[size]));
        return this;
    }

    public ImageTarget auxv(int type, long value) {
        putWord(auxv, type);
        putWord(auxv, value);
        return this;
    }

    private void putWord(ByteBuffer b, long v) {
        if (elfClass.wordSize() == 8) b.putLong(v);
        else b.putInt((int) v);
    }

    private ByteBuffer at(long addr, int len) {
        for (Region r : regions) {
            Mapping m = r.mapping();
            if (m.contains(addr) && addr + len <= m.end())
                return ByteBuffer.wrap(r.bytes(), (int) (addr - m.start()), len).order(ByteOrder.LITTLE_ENDIAN);
        }
        throw new IllegalArgumentException("the test wrote outside its mappings at 0x" + Long.toHexString(addr));
    }

    public ImageTarget word(long addr, long v) {
        putWord(at(addr, elfClass.wordSize()), v);
        return this;
    }

    public ImageTarget u32(long addr, long v) {
        at(addr, 4).putInt((int) v);
        return this;
    }

    public ImageTarget u16(long addr, int v) {
        at(addr, 2).putShort((short) v);
        return this;
    }

    /** A NUL-terminated string. */
    public ImageTarget string(long addr, String s) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.ISO_8859_1);
        at(addr, b.length).put(b);
        return this;
    }

    @Override
    public ElfClass elfClass() {
        return elfClass;
    }

    @Override
    public int machine() {
        return elfClass.eMachine();
    }

    @Override
    public ProcessIdentity identity() {
        return new ProcessIdentity(4242, "/usr/bin/prog", "prog", 0, 0, 0, 4242);
    }

    @Override
    public Mappings mappings() {
        List<Mapping> l = new ArrayList<>();
        for (Region r : regions) l.add(r.mapping());
        return new Mappings(l);
    }

    @Override
    public Auxv auxv() {
        return Auxv.parse(auxv.array(), elfClass.wordSize()); // the unwritten rest reads as AT_NULL
    }

    /** Copies what the regions hold, across adjacent ones; a request that starts in no region gets -1. */
    @Override
    public void read(List<ReadRequest> batch) {
        readCalls++;
        for (ReadRequest r : batch) {
            int got = 0;
            while (got < r.data.length) {
                Region from = null;
                for (Region x : regions) if (x.mapping().contains(r.address + got)) from = x;
                if (from == null) break;
                int off = (int) (r.address + got - from.mapping().start());
                int n = Math.min(r.data.length - got, from.bytes().length - off);
                System.arraycopy(from.bytes(), off, r.data, got, n);
                got += n;
            }
            r.got = got == 0 && r.data.length > 0 ? -1 : got;
        }
    }

    @Override
    public long readCalls() {
        return readCalls;
    }

    @Override
    public Optional<ByteSource> openMappedFile(Mapping m) {
        return Optional.empty();
    }

    @Override
    public Optional<FileFacts> statPathToday(String path) {
        return Optional.empty();
    }

    @Override
    public RegisterSnapshot registers() {
        throw new UnsupportedOperationException("an image has no threads");
    }

    @Override
    public boolean isLive() {
        return false;
    }

    @Override
    public void close() {
    }
}
