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

    /** From the attributes {@code Files.readAttributes(path, "unix:dev,ino,…")} returns. */
    public static FileId of(Map<String, Object> unixAttributes) {
        return new FileId((Long) unixAttributes.get("dev"), (Long) unixAttributes.get("ino"));
    }
}
