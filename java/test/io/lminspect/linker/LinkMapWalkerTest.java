package io.lminspect.linker;

import io.lminspect.elf.DynamicTag;
import io.lminspect.elf.ElfClass;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.inferior.Auxv;
import io.lminspect.inferior.Memory;
import io.lminspect.support.ImageTarget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walk over a process image built by hand: program headers at AT_PHDR,
 * PT_DYNAMIC's DT_DEBUG → r_debug → a glibc link_map chain of three entries.
 * Then the same chain made hostile: it must end in a ChainProblem, never hang.
 */
class LinkMapWalkerTest {
    /** Addresses that fit both classes. */
    static final long EXE = 0x5655_5000L, DATA = 0x5660_0000L;
    static final long FOO_BASE = 0xf700_0000L, BAR_BASE = 0xf710_0000L;
    static final String INTERP = "/lib64/ld-linux-x86-64.so.2";
    static final List<String> NAMES = List.of("", "/lib/libfoo.so.1", "/lib/libbar.so.2");

    /** A PIE executable at EXE and, in an anonymous mapping at DATA, r_debug and the link_maps (as ld.so's heap holds them). */
    static final class Image {
        final ElfClass c;
        final int w;
        final ImageTarget t;

        Image(ElfClass c, boolean withPtPhdr) {
            this.c = c;
            this.w = c.wordSize();
            this.t = new ImageTarget(c).map(EXE, 0x2000, "r--p", "/usr/bin/prog").map(DATA, 0x2000, "rw-p", null);
            long phoff = c.ehdrSize();
            int n = 0;
            if (withPtPhdr) phdr(n++, ProgramHeader.PT_PHDR, phoff, phoff, 4L * c.phdrSize());
            phdr(n++, ProgramHeader.PT_INTERP, 0x200, 0x200, INTERP.length() + 1);
            phdr(n++, ProgramHeader.PT_LOAD, 0, 0, 0x2000);
            phdr(n++, ProgramHeader.PT_DYNAMIC, 0x1000, 0x1000, 2L * c.dynSize());
            t.string(EXE + 0x200, INTERP);
            t.auxv(Auxv.AT_PHDR, EXE + phoff).auxv(Auxv.AT_PHENT, c.phdrSize()).auxv(Auxv.AT_PHNUM, n).auxv(Auxv.AT_ENTRY, EXE + 0x1100);
            dyn(EXE + 0x1000, DynamicTag.DT_DEBUG, DATA);

            // r_debug: r_version, r_map, r_brk, r_state (RT_CONSISTENT), r_ldbase
            t.u32(DATA, 1).word(DATA + w, entry(0)).word(DATA + 4L * w, 0xf7f0_0000L);
            long[] lAddr = {EXE, FOO_BASE, BAR_BASE};
            for (int i = 0; i < 3; i++) {
                long e = entry(i), name = DATA + 0x800 + 0x40L * i;
                t.string(name, NAMES.get(i));
                t.word(e, lAddr[i]).word(e + w, name).word(e + 3L * w, i < 2 ? entry(i + 1) : 0).word(e + 4L * w, i > 0 ? entry(i - 1) : 0);
                if (i == 0) {
                    t.word(e + 2L * w, EXE + 0x1000); // the executable's l_ld; its l_info stays unread here
                    continue;
                }
                long ld = DATA + 0x1000 + 0x100L * i;
                dyn(ld, DynamicTag.DT_STRTAB, lAddr[i] + 0x3a8);
                dyn(ld + c.dynSize(), DynamicTag.DT_SONAME, 0x96);
                t.word(e + 2L * w, ld);
                t.word(e + lInfo(DynamicTag.DT_STRTAB), ld).word(e + lInfo(DynamicTag.DT_SONAME), ld + c.dynSize());
            }
        }

        long entry(int i) {
            return DATA + 0x100L * (i + 1);
        }

        long lInfo(long tag) {
            return LinkMapLayout.glibc(w).lInfo(tag);
        }

        /** Offset of a link_map's l_next. */
        long lNext() {
            return 3L * w;
        }

        private void dyn(long at, long tag, long value) {
            t.word(at, tag).word(at + w, value);
        }

        /** Elf64_Phdr and Elf32_Phdr order their fields differently. */
        private void phdr(int i, int type, long offset, long vaddr, long size) {
            long p = EXE + c.ehdrSize() + (long) i * c.phdrSize();
            t.u32(p, type);
            if (c == ElfClass.ELF64) {
                t.u32(p + 4, ProgramHeader.PF_R).word(p + 8, offset).word(p + 16, vaddr).word(p + 24, vaddr)
                        .word(p + 32, size).word(p + 40, size).word(p + 48, 8);
            } else {
                t.u32(p + 4, offset).u32(p + 8, vaddr).u32(p + 12, vaddr).u32(p + 16, size).u32(p + 20, size)
                        .u32(p + 24, ProgramHeader.PF_R).u32(p + 28, 4);
            }
        }

        LinkerState walk() {
            return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new LinkMapWalker(new Memory(t)).walk());
        }
    }

    private static void assertHealthyChain(Image img, LinkerState s) {
        assertEquals(DATA, s.location().address(), s.location().reason());
        assertEquals("glibc", s.location().libc());
        assertEquals(EXE, s.location().loadBias());
        assertEquals(List.of(), s.problems());
        assertEquals(3, s.entries().size());
        long[] lAddr = {EXE, FOO_BASE, BAR_BASE};
        for (int i = 0; i < 3; i++) {
            LinkMapEntry e = s.entries().get(i);
            assertEquals(NAMES.get(i), e.name());
            assertEquals(lAddr[i], e.lAddr());
            assertEquals(img.entry(i), e.address());
            assertEquals(i, e.index());
            assertEquals(0, e.namespace());
            assertEquals(List.of(), e.walkProblems(), "entry " + i);
        }
        assertTrue(s.entries().get(0).isMainProgram());
        LinkMapEntry foo = s.entries().get(1);
        assertTrue(foo.lInfoVerified(), "l_info[DT_STRTAB] points at the DT_STRTAB entry of the array at l_ld");
        assertEquals(FOO_BASE + 0x3a8, foo.strtabValue());
        assertEquals(0x96, foo.sonameOffset());
        assertTrue(foo.hasSonameParts());
        assertTrue(s.lInfoVerified());
    }

    @Test
    void walksAThreeEntryGlibc64Chain() {
        Image img = new Image(ElfClass.ELF64, true);
        assertHealthyChain(img, img.walk());
    }

    @Test
    void walksAnElf32ImageWithoutPtPhdr() {
        // no PT_PHDR: the bias comes from the 52-byte ELF32 header before the program headers
        Image img = new Image(ElfClass.ELF32, false);
        assertHealthyChain(img, img.walk());
    }

    @Test
    void aLoopBackToTheFirstEntryIsAProblemNotAHang() {
        Image img = new Image(ElfClass.ELF64, true);
        img.t.word(img.entry(2) + img.lNext(), img.entry(0));
        LinkerState s = img.walk();
        assertEquals(3, s.entries().size());
        assertEquals(1, s.problems().size(), s.problems().toString());
        ChainProblem p = s.problems().get(0);
        assertEquals(2, p.index());
        assertEquals(NAMES.get(2), p.object());
        assertTrue(p.message().startsWith("loop: l_next of entry 2 is 0x56600100, which is entry 0 again"), p.message());
    }

    @Test
    void anLNextOutsideEveryMappingEndsTheWalkWithAProblem() {
        Image img = new Image(ElfClass.ELF64, true);
        img.t.word(img.entry(1) + img.lNext(), 0xdead_0000L);
        LinkerState s = img.walk();
        assertEquals(2, s.entries().size(), "the entries before the bad pointer are kept");
        assertEquals(1, s.problems().size(), s.problems().toString());
        ChainProblem p = s.problems().get(0);
        assertEquals(1, p.index());
        assertEquals(0xdead_0000L, p.address());
        assertTrue(p.message().contains("l_next of entry 1 is 0xdead0000, outside every readable mapping"), p.message());
    }

    @Test
    void anLPrevThatDisagreesIsAProblemAndTheWalkGoesOn() {
        Image img = new Image(ElfClass.ELF64, true);
        img.t.word(img.entry(2) + 4L * img.w, img.entry(0));
        LinkerState s = img.walk();
        assertEquals(3, s.entries().size());
        assertEquals(1, s.problems().size());
        assertTrue(s.problems().get(0).message().startsWith("l_prev of entry 2 is 0x56600100 but the previous entry is at 0x56600200"),
                s.problems().get(0).message());
    }

    @Test
    void anLNameOutsideMemoryIsTheEntrysOwnProblem() {
        Image img = new Image(ElfClass.ELF64, true);
        img.t.word(img.entry(1) + img.w, 0x10);
        LinkerState s = img.walk();
        assertEquals(3, s.entries().size());
        assertEquals(List.of("l_name 0x10 lies outside every readable mapping"), s.entries().get(1).walkProblems());
        assertEquals("", s.entries().get(1).name());
    }

    /** A name longer than the first read's size is read again whole (one more read for that entry only). */
    @Test
    void aNameLongerThanTheFirstReadIsReadWhole() {
        Image img = new Image(ElfClass.ELF64, true);
        String longName = "/opt/" + "a".repeat(LinkMapWalker.NAME_FIRST + 200) + "/libfoo.so.1";
        long at = DATA + 0x1000; // room for it in the DATA mapping, clear of r_debug and the entries
        img.t.string(at, longName);
        img.t.word(img.entry(1) + img.w, at);
        LinkerState s = img.walk();
        assertEquals(longName, s.entries().get(1).name());
        assertTrue(s.entries().get(1).walkProblems().isEmpty(), s.entries().get(1).walkProblems().toString());
    }
}
