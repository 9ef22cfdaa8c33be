package io.lminspect.inferior;

import io.lminspect.elf.ElfClass;
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

    private final ElfClass elfClass;
    private final int w;
    private final Structs at;
    private final String coreName;

    /**
     * Where the kernel's note structs keep the fields read here: elf_prstatus (pr_pid,
     * pr_reg), elf_prpsinfo (pr_uid, pr_pid, pr_fname; x86-64 widens pr_flag and the
     * ids) and siginfo_t's union (aligned to 8 on x86-64).
     */
    private record Structs(int prstatusPid, int prstatusReg, int prpsinfoSize, int prpsinfoUid, boolean uid16,
                           int prpsinfoPid, int prpsinfoFname, int siginfoUnion) {
        static Structs of(ElfClass c) {
            return switch (c) {
                case ELF64 -> new Structs(32, 112, 56, 16, false, 24, 40, 16);
                case ELF32 -> new Structs(24, 72, 44, 8, true, 12, 28, 12);
            };
        }
    }

    private CoreNotes(ElfClass elfClass, String coreName) {
        this.elfClass = elfClass;
        this.w = elfClass.wordSize();
        this.at = Structs.of(elfClass);
        this.coreName = coreName;
    }

    static CoreNotes parse(List<ElfNotes.Note> notes, ElfClass elfClass, String coreName) {
        CoreNotes c = new CoreNotes(elfClass, coreName);
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
        int regOff = at.prstatusReg();
        int regLen = elfClass.registerSetSize();
        if (d.length < regOff + regLen) throw malformed("NT_PRSTATUS of " + d.length + " bytes, expected at least " + (regOff + regLen));
        int cursig = Bytes.u16(d, 12);
        int tid = (int) Bytes.u32(d, at.prstatusPid());
        var regs = RegisterLayout.decode(d, regOff, regLen, elfClass);
        return new CoreThread(new ThreadState(tid, "-", regs, RegisterLayout.pc(regs), RegisterLayout.sp(regs)), cursig);
    }

    private void prpsinfo(byte[] d) {
        int need = at.prpsinfoSize();
        if (d.length < need) throw malformed("NT_PRPSINFO of " + d.length + " bytes, expected at least " + need);
        uid = at.uid16() ? Bytes.u16(d, at.prpsinfoUid()) : (int) Bytes.u32(d, at.prpsinfoUid());
        pid = (int) Bytes.u32(d, at.prpsinfoPid());
        int fname = at.prpsinfoFname();
        int n = Bytes.indexOfNul(d, fname, FNAME_LEN);
        comm = new String(d, fname, n < 0 ? FNAME_LEN : n, StandardCharsets.ISO_8859_1);
        hasPrpsinfo = true;
    }

    private void siginfo(byte[] d) {
        // si_signo, si_errno, si_code (ints), then the union, whose first word is si_addr for a fault
        int addrOff = at.siginfoUnion();
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
            boolean deleted = path.endsWith(Mappings.DELETED);
            if (deleted) path = path.substring(0, path.length() - Mappings.DELETED.length());
            files.add(new FileRange(start, end, pages * pageSize, path, deleted));
        }
    }
}
