package io.lminspect.decode;

import io.lminspect.elf.ByteSource;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.elf.ElfSymbols;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.elf.Symbol;
import io.lminspect.linker.AddressNamer;
import io.lminspect.inferior.LiveProcess;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.ProcFs;
import io.lminspect.util.Hex;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns a parsed kernel line into offsets, a symbol and instruction bytes. */
public final class EventDecoder {
    /** Bytes shown on each side of ip when read from the file. */
    private static final int BYTES_AROUND = 16;

    private final BinaryResolver resolver;
    /** symbolize() needs neither a target nor a cache: it works on a file alone. */
    private final AddressNamer namer = new AddressNamer(null, null);

    public EventDecoder(BinaryResolver resolver) {
        this.resolver = resolver;
    }

    public DecodedEvent decode(KernelEvent e) {
        List<String> notes = new ArrayList<>();
        ErrorCodeExplainer.PageFault pf = null;
        String meaning;
        if (KernelEvent.SEGFAULT.equals(e.kind()) && e.errorCode() != null) {
            pf = ErrorCodeExplainer.pageFault(e.errorCode());
            meaning = pf.words() + " at " + Hex.of(e.address());
            if (e.address() != null && Long.compareUnsigned(e.address(), 0x10000) < 0)
                meaning += " (a small address: a NULL pointer plus a field offset, or a pointer that was never relocated, as after a library is overwritten in place)";
        } else {
            meaning = ErrorCodeExplainer.other(e.kind(), e.detail(), e.errorCode());
        }
        try (LiveView live = LiveView.of(e, notes)) {
            BinaryResolver.Binary bin = null;
            ElfFile elf = null;
            Long offset = null;
            String how = null;
            if (live.mapping != null) {
                offset = live.mapping.offset() + (e.ip() - live.mapping.start());
                how = "from the live process's mapping " + live.mapping.range() + " at file offset " + Hex.of(live.mapping.offset());
                elf = live.elf;
            }
            if (elf == null && e.module() != null) {
                bin = resolver.find(e.module());
                if (bin != null) elf = bin.elf();
                if (bin != null && !bin.how().startsWith("given")) notes.add("the binary was found by name: it may not be the "
                        + "file that crashed" + (e.codeBytes() != null ? " (the Code: bytes comparison below tells)" : ""));
            }
            if (offset == null && e.fileOffset() != null) {
                offset = e.fileOffset();
                how = "given by the kernel";
            }
            if (offset == null && e.vmaStart() != null && e.ip() != null) {
                long inVma = e.ip() - e.vmaStart();
                ProgramHeader seg = elf == null ? null : segmentOfVma(elf, e.vmaSize());
                if (seg != null) {
                    offset = (seg.offset() & ~(Mapping.PAGE - 1)) + inVma;
                    how = "ip - VMA start, plus the file offset " + Hex.of(seg.offset() & ~(Mapping.PAGE - 1))
                            + " of the binary's executable segment (program headers)";
                } else {
                    offset = inVma;
                    how = "ip - VMA start; this assumes the VMA starts at file offset 0, give --binary to use its program headers";
                }
            }
            String binaryPath = live.elf != null ? live.mapping.path() : bin == null ? null : bin.path();
            String binaryHow = live.elf != null ? "the live process's mapped file" : bin == null ? null : bin.how();
            if (elf == null && e.module() != null)
                notes.add("binary " + e.module() + " not found: give --binary PATH (or --debug-dir) for the symbol and the bytes");
            return withBinary(e, meaning, pf, offset, how, elf, binaryPath, binaryHow, live.description, notes);
        }
    }

    private DecodedEvent withBinary(KernelEvent e, String meaning, ErrorCodeExplainer.PageFault pf, Long offset, String how,
                                    ElfFile elf, String binaryPath, String binaryHow, String liveDescription, List<String> notes) {
        String symbol = null, fileBytes = null, debugPath = null, buildId = null;
        Long symbolOffset = null;
        Boolean match = null;
        if (elf != null && offset != null) {
            buildId = BinaryResolver.buildId(elf);
            BinaryResolver.Binary debug = resolver.debugFileFor(elf);
            AddressNamer.Name n;
            if (debug != null) {
                debugPath = debug.path();
                n = symbolizeWithDebugFile(elf, debug.elf(), offset);
            } else {
                n = namer.symbolize(binaryPath, elf, offset);
            }
            if (n != null && n.symbol() != null) {
                symbol = SafeText.clean(n.symbol());
                symbolOffset = n.symbolOffset();
            } else {
                notes.add("no symbol covers file offset " + Hex.of(offset) + " (a stripped binary: give --debug-dir with its debug file)");
            }
            byte[] around = readAround(elf.source(), offset);
            if (around != null) fileBytes = markFault(around, (int) Math.min(BYTES_AROUND, offset));
            if (e.codeBytes() != null) match = codeMatches(elf.source(), offset, e.codeBytes());
            if (Boolean.FALSE.equals(match))
                notes.add("the Code: bytes differ from the file's bytes at that offset: this is not the file that crashed "
                        + "(another version), or the code was modified in memory");
        }
        return new DecodedEvent(e, meaning, pf, offset, how, binaryPath == null ? null : SafeText.clean(binaryPath), binaryHow,
                debugPath == null ? null : SafeText.clean(debugPath), buildId, symbol, symbolOffset, fileBytes, match,
                liveDescription, notes);
    }

    /** A debug file has the same link-time addresses but no code: map the offset through the binary, name it with the debug file. */
    private AddressNamer.Name symbolizeWithDebugFile(ElfFile elf, ElfFile debug, long offset) {
        long vaddr = AddressNamer.fileOffsetToVaddr(elf, offset);
        if (vaddr < 0) return null;
        try {
            Symbol s = ElfSymbols.covering(ElfSymbols.sortedByAddress(ElfSymbols.best(debug)), vaddr);
            return s == null ? null : new AddressNamer.Name(null, offset, s.name(), vaddr - s.value());
        } catch (ElfFormatException ex) {
            return null;
        }
    }

    /** The executable PT_LOAD the VMA maps: the one whose page-rounded size is the VMA's, else the only executable one. */
    static ProgramHeader segmentOfVma(ElfFile elf, Long vmaSize) {
        List<ProgramHeader> exec = new ArrayList<>();
        for (ProgramHeader p : elf.programHeaders())
            if (p.type() == ProgramHeader.PT_LOAD && (p.flags() & ProgramHeader.PF_X) != 0) exec.add(p);
        if (vmaSize != null) {
            for (ProgramHeader p : exec) {
                long span = ((p.vaddr() & (Mapping.PAGE - 1)) + p.filesz() + Mapping.PAGE - 1) & ~(Mapping.PAGE - 1);
                if (span == vmaSize) return p;
            }
        }
        return exec.size() == 1 ? exec.get(0) : null;
    }

    private static byte[] readAround(ByteSource src, long offset) {
        long from = Math.max(0, offset - BYTES_AROUND);
        long to = Math.min(src.size(), offset + BYTES_AROUND);
        if (offset < 0 || offset >= src.size() || to <= from) return null;
        byte[] b = new byte[(int) (to - from)];
        int got = 0;
        while (got < b.length) {
            int n = src.read(from + got, b, got, b.length - got);
            if (n <= 0) return null;
            got += n;
        }
        return b;
    }

    /** Hex bytes with the one at ip marked as the kernel marks it: "… <8b> …". */
    static String markFault(byte[] b, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            if (i > 0) sb.append(' ');
            String h = Hex.bytes(b, i, 1);
            sb.append(i == at ? "<" + h + ">" : h);
        }
        return sb.toString();
    }

    /** Compares a Code: line (one byte marked <xx> or (xx) at ip) with the file's bytes around offset. */
    static Boolean codeMatches(ByteSource src, long offset, String code) {
        String[] tok = code.trim().split("\\s+");
        int at = -1;
        byte[] want = new byte[tok.length];
        try {
            for (int i = 0; i < tok.length; i++) {
                String t = tok[i];
                if (t.startsWith("<") || t.startsWith("(")) {
                    at = i;
                    t = t.substring(1, t.length() - 1);
                }
                if (t.length() != 2) return null;
                want[i] = (byte) Integer.parseInt(t, 16);
            }
        } catch (RuntimeException ex) {
            return null;
        }
        if (at < 0 || offset - at < 0 || offset - at + tok.length > src.size()) return null;
        byte[] have = new byte[tok.length];
        if (src.read(offset - at, have, 0, have.length) != have.length) return null;
        return java.util.Arrays.equals(want, have);
    }

    /** The process of the line, when its PID still names it: its real mapping and file. */
    private static final class LiveView implements AutoCloseable {
        final LiveProcess target;
        final Mapping mapping;
        final ElfFile elf;
        final String description;

        private LiveView(LiveProcess target, Mapping mapping, ElfFile elf, String description) {
            this.target = target;
            this.mapping = mapping;
            this.elf = elf;
            this.description = description;
        }

        static LiveView of(KernelEvent e, List<String> notes) {
            if (e.pid() == null) return new LiveView(null, null, null, null);
            LiveProcess t;
            ProcFs.Stat st;
            try {
                st = ProcFs.stat(e.pid());
                t = LiveProcess.open(e.pid());
            } catch (InspectException | IllegalArgumentException | IndexOutOfBoundsException ex) {
                return new LiveView(null, null, null, "process " + e.pid() + " is gone");
            }
            String who = "PID " + e.pid() + " (" + SafeText.clean(st.comm()) + ")";
            boolean startedAfter = e.uptimeSeconds() != null && st.startTicks() / (double) ProcFs.CLOCK_TICKS > e.uptimeSeconds();
            if ((e.comm() != null && !e.comm().equals(SafeText.clean(st.comm()))) || startedAfter) {
                t.close();
                return new LiveView(null, null, null, who + " is another process now (the PID was reused)");
            }
            Mapping m = e.ip() == null ? null : t.mappings().find(e.ip());
            if (m == null || !m.fileBacked() || e.module() == null || !m.path().endsWith("/" + e.module())) {
                notes.add("the process is still alive but ip is no longer in " + (e.module() == null ? "a file mapping" : e.module()));
                return new LiveView(t, null, null, who + " is still alive");
            }
            if (e.vmaStart() != null && m.start() != e.vmaStart())
                notes.add("the live mapping starts at " + Hex.of(m.start()) + ", the line says " + Hex.of(e.vmaStart()));
            Optional<ByteSource> src = t.openMappedFile(m);
            ElfFile elf = null;
            if (src.isPresent()) {
                try {
                    elf = ElfFile.parse(src.get());
                } catch (ElfFormatException ex) {
                    src.get().close();
                }
            }
            return new LiveView(t, m, elf, who + " is still alive: its mappings were used");
        }

        @Override
        public void close() {
            if (elf != null) elf.source().close();
            if (target != null) target.close();
        }
    }
}
