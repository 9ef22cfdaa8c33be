package io.lminspect.watch;

import java.util.Arrays;

/**
 * A file's identity as fanotify reports it: filesystem id, handle type and handle
 * bytes, in that order (lmh_file_fid writes the same layout). Compared byte for
 * byte, so no handle is ever opened to learn which file an event is about.
 */
public final class Fid {
    private final byte[] bytes;
    private final int hash;

    public Fid(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The filesystem part (statfs f_fsid), which names the filesystem a mark covers. */
    public long fsid() {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (bytes[i] & 0xff);
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fid f && f.hash == hash && Arrays.equals(f.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
