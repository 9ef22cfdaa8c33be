package io.lminspect.elf;

import io.lminspect.util.Plain;
import io.lminspect.util.Bytes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** ELF notes (PT_NOTE in files, the notes segment of a core). */
public final class ElfNotes {
    public static final int NT_GNU_BUILD_ID = 3;

    public record Note(String name, int type, byte[] desc) {}

    private ElfNotes() {}

    /** Parses a notes blob; stops at the first note that does not fit. */
    public static List<Note> parse(byte[] b) {
        List<Note> out = new ArrayList<>();
        int o = 0;
        while (o + 12 <= b.length && out.size() < 100_000) {
            long namesz = Bytes.u32(b, o), descsz = Bytes.u32(b, o + 4);
            int type = (int) Bytes.u32(b, o + 8);
            long nameEnd = o + 12L + namesz;
            long descStart = o + 12L + align4(namesz);
            long descEnd = descStart + descsz;
            if (nameEnd > b.length || descEnd > b.length) break;
            int nlen = (int) namesz;
            while (nlen > 0 && b[o + 12 + nlen - 1] == 0) nlen--;
            String name = new String(b, o + 12, nlen, StandardCharsets.ISO_8859_1);
            byte[] desc = new byte[(int) descsz];
            System.arraycopy(b, (int) descStart, desc, 0, (int) descsz);
            out.add(new Note(name, type, desc));
            o = (int) (descStart + align4(descsz));
        }
        return out;
    }

    static long align4(long v) {
        return (v + 3) & ~3L;
    }

    /** The GNU build-id as hex, or null. */
    public static String buildId(ElfFile elf) {
        for (ProgramHeader p : elf.programHeaders()) {
            if (p.type() != ProgramHeader.PT_NOTE || p.filesz() > 1 << 20 || !elf.inFile(p.offset(), p.filesz())) continue;
            for (Note n : parse(elf.source().readFully(p.offset(), (int) p.filesz(), "note segment")))
                if (n.type() == NT_GNU_BUILD_ID && n.name().equals("GNU")) return hex(n.desc());
        }
        return null;
    }

    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format(Plain.LOCALE, "%02x", x & 0xff));
        return sb.toString();
    }
}
