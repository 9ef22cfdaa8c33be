package io.lminspect.inferior;

/**
 * One range of a batched memory read. The Target fills {@code data} and sets
 * {@code got} to the bytes read (possibly short) or -1 when nothing was readable.
 */
public final class ReadRequest {
    public final long address;
    public final byte[] data;
    public int got;

    public ReadRequest(long address, int length) {
        this.address = address;
        this.data = new byte[length];
    }

    public boolean complete() {
        return got == data.length;
    }
}
