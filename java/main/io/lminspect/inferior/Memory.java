package io.lminspect.inferior;

import io.lminspect.util.Bytes;

import java.util.List;

/**
 * Typed, checked reads over a Target's one primitive. Every read is checked
 * against the mapping list first (docs/design.md, rule 2): an address the target does not
 * map is never handed to the kernel.
 */
public final class Memory {
    private final Target target;
    private final Mappings mappings;
    private final int wordSize;

    public Memory(Target target) {
        this.target = target;
        this.mappings = target.mappings();
        this.wordSize = target.wordSize();
    }

    public Target target() { return target; }
    public Mappings mappings() { return mappings; }
    public int wordSize() { return wordSize; }

    /** Exactly len bytes at addr, or null when any of them is unmapped or unreadable. */
    public byte[] read(long addr, int len) {
        if (!mappings.isReadable(addr, len)) return null;
        ReadRequest r = new ReadRequest(addr, len);
        target.read(List.of(r));
        return r.complete() ? r.data : null;
    }

    /** Reads a batch after dropping requests outside readable memory (those keep got = -1). */
    public void readChecked(List<ReadRequest> batch) {
        List<ReadRequest> ok = new java.util.ArrayList<>(batch.size());
        List<ReadRequest[]> trimmed = new java.util.ArrayList<>();
        for (ReadRequest r : batch) {
            long span = mappings.readableSpan(r.address, r.data.length);
            if (span == r.data.length) ok.add(r);
            else if (span > 0) {
                // never ask for bytes past readable memory (/proc/PID/mem would read PROT_NONE pages)
                ReadRequest part = new ReadRequest(r.address, (int) span);
                ok.add(part);
                trimmed.add(new ReadRequest[]{r, part});
            } else r.got = -1;
        }
        if (!ok.isEmpty()) target.read(ok);
        for (ReadRequest[] t : trimmed) {
            ReadRequest r = t[0], part = t[1];
            r.got = part.got;
            if (part.got > 0) System.arraycopy(part.data, 0, r.data, 0, part.got);
        }
    }

    /** Mapped memory whose bytes cannot be had (a core's absent page): a failed read there is no evidence. */
    public boolean unavailable(long addr) {
        return target.unavailable(addr);
    }

    /** The first byte in [addr, addr+len) that is unavailable, or -1. Checks page by page. */
    public long firstUnavailable(long addr, long len) {
        for (long a = addr; Long.compareUnsigned(a - addr, len) < 0; a = (a & ~(Mapping.PAGE - 1)) + Mapping.PAGE) {
            if (target.unavailable(a)) return a;
            if ((a & ~(Mapping.PAGE - 1)) + Mapping.PAGE == 0) break;
        }
        return -1;
    }

    public Long readWord(long addr) {
        byte[] b = read(addr, wordSize);
        return b == null ? null : Bytes.word(b, 0, wordSize);
    }

    /** A request for a C string of at most cap bytes, trimmed to readable memory. */
    public ReadRequest stringRequest(long addr, int cap) {
        long span = mappings.readableSpan(addr, cap);
        ReadRequest r = new ReadRequest(addr, (int) Math.max(span, 0));
        if (span <= 0) r.got = -1;
        return r;
    }
}
