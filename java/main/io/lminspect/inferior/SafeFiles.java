package io.lminspect.inferior;

import io.lminspect.elf.ElfFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Opens files that a target or a core names (docs/design.md, rule 3). With the native
 * helper the open itself cannot block or follow a last-moment swap: it uses
 * O_NONBLOCK|O_NOFOLLOW and checks the descriptor with fstat (regular file,
 * expected device and inode), then Java reopens that descriptor through
 * /proc/self/fd. Without the helper it checks, then opens without following a
 * final link; a FIFO renamed in between that check and the open could block.
 */
public final class SafeFiles {
    private SafeFiles() {}

    /** A channel on p if it is a regular file (with this dev and inode; -1: any), else null. */
    public static FileChannel openRegular(Path p, long dev, long inode, boolean followFinalLink) {
        NativeHelper h = NativeHelper.Holder.get();
        if (h != null) {
            int fd = h.lmh_open_regular(p.toString(), dev, inode, followFinalLink ? 1 : 0);
            if (fd < 0) return null;
            try {
                return FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ);
            } catch (IOException e) {
                return null;
            } finally {
                h.lmh_close(fd);
            }
        }
        try {
            LinkOption[] opts = followFinalLink ? new LinkOption[0] : new LinkOption[]{LinkOption.NOFOLLOW_LINKS};
            Map<String, Object> a = Files.readAttributes(p, "unix:ino,dev,mode", opts);
            if (((Integer) a.get("mode") & 0170000) != 0100000) return null;
            if ((dev >= 0 && (Long) a.get("dev") != dev) || (inode >= 0 && (Long) a.get("ino") != inode)) return null;
            return followFinalLink ? FileChannel.open(p, StandardOpenOption.READ)
                    : FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** True when the channel starts with the ELF magic. */
    public static boolean isElf(FileChannel ch) {
        ByteBuffer b = ByteBuffer.allocate(4);
        try {
            return ch.read(b, 0) == 4 && ElfFile.hasMagic(b.array());
        } catch (IOException e) {
            return false;
        }
    }
}
