package io.lminspect.elf;

public final class ArrayByteSource implements ByteSource {
    private final byte[] bytes;
    private final String name;

    public ArrayByteSource(byte[] bytes, String name) {
        this.bytes = bytes;
        this.name = name;
    }

    @Override public long size() { return bytes.length; }
    @Override public String name() { return name; }

    @Override
    public int read(long off, byte[] dst, int dstOff, int len) {
        if (off < 0 || off >= bytes.length) return 0;
        int n = (int) Math.min(len, bytes.length - off);
        System.arraycopy(bytes, (int) off, dst, dstOff, n);
        return n;
    }
}
