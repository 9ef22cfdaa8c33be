package io.lminspect.inferior;

import io.lminspect.elf.ElfNotes;
import io.lminspect.util.Bytes;
import io.lminspect.util.Failure;
import io.lminspect.util.Hex;
import io.lminspect.util.InspectException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The "CORE" notes of a core file, decoded for x86-64 and i386 (the kernel's
 * struct elf_prstatus, elf_prpsinfo, siginfo_t and the NT_FILE table). A note
 * whose size does not fit its type is a malformed core (exit 3), never a guess.
 */
public final class CoreNotes {
    public static final int NT_PRSTATUS = 1, NT_PRPSINFO = 3, NT_AUXV = 6, NT_SIGINFO = 0x53494749, NT_FILE = 0x46494c45;
    /** pr_fname is char[16]. */
    static final int FNAME_LEN = 16;

    final List<CoreThread> threads = new ArrayList<>();
    final List<FileRange> files = new ArrayList<>();
    byte[] auxv = new byte[0];
    SignalInfo signal = SignalInfo.NONE;
    boolean hasSiginfo;
    int pid = -1, uid = -1;
    String comm = "";
    boolean hasPrpsinfo;

    private final int w;
    private final String coreName;

    private CoreNotes(int wordSize, String coreName) {
        this.w = wordSize;
        this.coreName = coreName;
    }

    static CoreNotes parse(List<ElfNotes.Note> notes, int wordSize, String coreName) {
        CoreNotes c = new CoreNotes(wordSize, coreName);
        for (ElfNotes.Note n : notes) {
            if (!n.name().equals("CORE")) continue; // "LINUX" holds FPU state, "GDB" gdb's own: not needed
            switch (n.type()) {
                case NT_PRSTATUS -> c.threads.add(c.prstatus(n.desc()));
                case NT_PRPSINFO -> c.prpsinfo(n.desc());
                case NT_AUXV -> c.auxv = n.desc();
                case NT_SIGINFO -> c.siginfo(n.desc());
                case NT_FILE -> c.ntFile(n.desc());
                default -> { }
            }
        }
        return c;
    }

    private InspectException malformed(String what) {
        return new InspectException(Failure.CORRUPT_CORE, coreName, what);
    }

    private CoreThread prstatus(byte[] d) {
        int regOff = w == 8 ? RegisterLayout.PRSTATUS_REG_OFFSET_64 : RegisterLayout.PRSTATUS_REG_OFFSET_32;
        int regLen = RegisterLayout.size(w);
        if (d.length < regOff + regLen) throw malformed("NT_PRSTATUS of " + d.length + " bytes, expected at least " + (regOff + regLen));
        int cursig = Bytes.u16(d, 12);
        int tid = (int) Bytes.u32(d, w == 8 ? RegisterLayout.PRSTATUS_PID_OFFSET_64 : RegisterLayout.PRSTATUS_PID_OFFSET_32);
        var regs = RegisterLayout.decode(d, regOff, regLen, w);
        return new CoreThread(new ThreadState(tid, "-", regs, RegisterLayout.pc(regs), RegisterLayout.sp(regs)), cursig);
    }

    private void prpsinfo(byte[] d) {
        // x86-64: pr_flag is 8 bytes at 8, then uid/gid u32; i386: pr_flag 4 bytes at 4, uid/gid u16
        int need = w == 8 ? 56 : 44;
        if (d.length < need) throw malformed("NT_PRPSINFO of " + d.length + " bytes, expected at least " + need);
        uid = w == 8 ? (int) Bytes.u32(d, 16) : Bytes.u16(d, 8);
        pid = (int) Bytes.u32(d, w == 8 ? 24 : 12);
        int fname = w == 8 ? 40 : 28;
        int n = Bytes.indexOfNul(d, fname, FNAME_LEN);
        comm = new String(d, fname, n < 0 ? FNAME_LEN : n, StandardCharsets.ISO_8859_1);
        hasPrpsinfo = true;
    }

    private void siginfo(byte[] d) {
        // si_signo, si_errno, si_code (ints); the union starts at 16 on x86-64 (aligned), 12 on i386
        int addrOff = w == 8 ? 16 : 12;
        if (d.length < addrOff + w) throw malformed("NT_SIGINFO of " + d.length + " bytes");
        int signo = (int) Bytes.u32(d, 0), errno = (int) Bytes.u32(d, 4), code = (int) Bytes.u32(d, 8);
        boolean fault = code > 0 && (signo == 4 || signo == 7 || signo == 8 || signo == 11 || signo == 5);
        signal = new SignalInfo(signo, code, errno, fault ? Bytes.word(d, addrOff, w) : 0, fault);
        hasSiginfo = true;
    }

    /** NT_FILE: count, page size, count × (start, end, file offset in pages), then count NUL-terminated paths. */
    private void ntFile(byte[] d) {
        if (d.length < 2 * w) throw malformed("NT_FILE of " + d.length + " bytes");
        long count = Bytes.word(d, 0, w), pageSize = Bytes.word(d, w, w);
        long room = (d.length - 2L * w) / (3L * w);
        if (Long.compareUnsigned(count, room) > 0)
            throw malformed("NT_FILE claims " + Long.toUnsignedString(count) + " files but its " + d.length + " bytes hold at most " + room);
        // the kernel counts offsets in pages; gdb writes page size 1 and counts in bytes
        if (pageSize < 1 || pageSize > (1 << 30) || Long.bitCount(pageSize) != 1)
            throw malformed("NT_FILE page size " + Long.toUnsignedString(pageSize));
        int names = (int) (2 * w + count * 3 * w);
        for (int i = 0; i < count; i++) {
            int o = 2 * w + i * 3 * w;
            long start = Bytes.word(d, o, w), end = Bytes.word(d, o + w, w), pages = Bytes.word(d, o + 2 * w, w);
            if (names >= d.length) throw malformed("NT_FILE has " + i + " paths for " + count + " files");
            int n = Bytes.indexOfNul(d, names, d.length - names);
            if (n < 0) throw malformed("NT_FILE's last path is not terminated");
            String path = new String(d, names, n, StandardCharsets.ISO_8859_1);
            names += n + 1;
            if (Long.compareUnsigned(end, start) <= 0 || Long.compareUnsigned(pages, Long.MAX_VALUE / pageSize) > 0)
                throw malformed("NT_FILE entry " + Hex.of(start) + "-" + Hex.of(end) + " (file page " + Long.toUnsignedString(pages) + ")");
            boolean deleted = path.endsWith(" (deleted)");
            if (deleted) path = path.substring(0, path.length() - " (deleted)".length());
            files.add(new FileRange(start, end, pages * pageSize, path, deleted));
        }
    }
}
