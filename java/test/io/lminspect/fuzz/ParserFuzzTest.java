package io.lminspect.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lminspect.elf.ArrayByteSource;
import io.lminspect.elf.ElfClass;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.ElfFormatException;
import io.lminspect.elf.ElfNotes;
import io.lminspect.elf.ElfRelocations;
import io.lminspect.elf.ElfSymbols;
import io.lminspect.elf.ElfVersions;
import io.lminspect.elf.ProgramHeader;
import io.lminspect.linker.AddressNamer;
import io.lminspect.inferior.Auxv;
import io.lminspect.inferior.Mappings;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;

import java.nio.charset.StandardCharsets;

/**
 * The parsers that read what targets and files say. The only exceptions allowed
 * are the project's own parse errors; anything else (an index out of bounds, a
 * NegativeArraySize, an OutOfMemoryError from a size taken on trust, a hang) is a
 * finding. In `make test` these run over the seed corpus in java/test-resources
 * (real libraries) plus a short fuzzing run; `make fuzz` runs longer.
 */
class ParserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void elfFile(byte[] data) {
        try {
            ElfFile elf = ElfFile.parse(new ArrayByteSource(data, "fuzz"));
            elf.sections();
            elf.dynamic().needed();
            elf.dynamic().soname();
            elf.dynamic().runpath();
            var syms = ElfSymbols.dynamic(elf);
            ElfSymbols.best(elf);
            ElfRelocations.dynamic(elf);
            ElfVersions.of(elf, syms.size());
            ElfNotes.buildId(elf);
            for (ProgramHeader p : elf.programHeaders()) elf.vaddrToOffset(p.vaddr());
            new AddressNamer(null, null).symbolize("fuzz", elf, data.length / 2);
        } catch (ElfFormatException expected) {
            // the one way a parser may refuse input
        }
    }

    /** The core reader, and the whole inspection above it (walk, checks) on whatever the core claims. */
    @FuzzTest(maxDuration = "20s")
    void coreFile(byte[] data) throws java.io.IOException {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("lmi-fuzz", ".core");
        try {
            java.nio.file.Files.write(f, data);
            try (io.lminspect.inferior.CoreFile core = io.lminspect.inferior.CoreFile.open(f, null, null)) {
                io.lminspect.check.Inspection.run(core, new io.lminspect.linker.ElfCache(), io.lminspect.check.Checks.all());
            } catch (InspectException | ElfFormatException expected) {
                // not a core, or one that lies
            }
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void procMaps(byte[] data) {
        try {
            Mappings m = Mappings.parseProcMaps(new String(data, StandardCharsets.ISO_8859_1));
            for (var x : m.all()) {
                m.find(x.start());
                m.isReadable(x.start(), x.size());
                SafeText.clean(x.path());
            }
        } catch (InspectException expected) {
            // a malformed maps line
        }
    }

    /** Kernel log lines (dmesg, journalctl, syslog): whatever the log holds, parsed or listed as unparsed. */
    @FuzzTest(maxDuration = "10s")
    void kernelLines(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        var r = io.lminspect.decode.KernelLineParser.parse(java.util.List.of(text.split("\n", -1)));
        for (var e : r.events()) SafeText.clean(String.valueOf(e));
    }

    /**
     * A HotSpot fatal error log, whatever it holds: parsed, then explained (the explanation stats the
     * paths its maps name; a path of this machine is only ever stat-ed and, for a symbol, read).
     */
    @FuzzTest(maxDuration = "10s")
    void hsErrLog(byte[] data) {
        String text = "# A fatal error has been detected by the Java Runtime Environment:\n" + new String(data, StandardCharsets.ISO_8859_1);
        var lines = java.util.List.of(text.split("\n", -1));
        var explained = io.lminspect.decode.HsErrExplainer.explain(io.lminspect.decode.HsErrParser.parse(lines), null);
        SafeText.clean(explained.crash().explanation());
    }

    /** A jar's central directory (an open jar of a JVM whose JNI library's origin is asked). */
    @FuzzTest(maxDuration = "5s")
    void jarIndex(byte[] data) {
        for (var e : io.lminspect.check.JarIndex.read(new io.lminspect.elf.ArrayByteSource(data, "fuzz.jar")).entries()) SafeText.clean(e.name());
    }

    /** /etc/ld.so.cache as a target's filesystem holds it. */
    @FuzzTest(maxDuration = "10s")
    void ldSoCache(byte[] data) {
        var c = io.lminspect.preflight.LdSoCache.parse(data);
        c.lookup("libc.so.6", ElfClass.ELF64);
        c.lookup("libm.so.6", ElfClass.ELF32);
        c.entries().size();
    }

    @FuzzTest(maxDuration = "5s")
    void auxvAndNotes(byte[] data) {
        Auxv.parse(data, 8).get(Auxv.AT_PHDR);
        Auxv.parse(data, 4).get(Auxv.AT_BASE);
        ElfNotes.parse(data);
        SafeText.fromBytes(data, 0, data.length);
    }
}
