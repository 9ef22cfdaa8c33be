package io.lminspect.inferior;

import java.util.Map;

/**
 * Which file, as the kernel tells files apart: device and inode. A mapping
 * carries the pair it was made from and stat() gives it for a path today, so
 * "is this path still the mapped file" is one equality, whatever names either
 * side goes by (a path may name a new inode while processes hold the old one).
 *
 * @param dev   st_dev in the kernel's new_encode_dev form (what Java's unix:dev reports; see Mappings.makeDev)
 * @param inode st_ino
 */
public record FileId(long dev, long inode) {

    // Written out: a record's generated equals/hashCode link through invokedynamic on first use,
    // which costs a cold start milliseconds for a key looked up hundreds of times per inspection.
    @Override
    public boolean equals(Object o) {
        return o instanceof FileId f && f.dev == dev && f.inode == inode;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(dev) * 31 + Long.hashCode(inode);
    }

    /** From the attributes {@code Files.readAttributes(path, "unix:dev,ino,…")} returns. */
    public static FileId of(Map<String, Object> unixAttributes) {
        return new FileId((Long) unixAttributes.get("dev"), (Long) unixAttributes.get("ino"));
    }
}
