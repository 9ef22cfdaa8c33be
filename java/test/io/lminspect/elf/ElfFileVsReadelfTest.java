package io.lminspect.elf;

import io.lminspect.support.Build;
import io.lminspect.support.Env;
import io.lminspect.support.Cli;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The ELF reader against binutils' readelf on real system libraries. */
class ElfFileVsReadelfTest {

    static String readelf(String flags, Path p) throws Exception {
        Cli.Result r = Cli.exec(List.of("readelf", flags, "-W", p.toString()), 60);
        assertEquals(0, r.rc(), r.err());
        return r.out();
    }

    static int sumMatches(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) n += Integer.parseInt(m.group(1));
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2",
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/bin/ls", "/usr/lib/x86_64-linux-gnu/libm.so.6"})
    void matchesReadelf(String path) throws Exception {
        Path p = Path.of(path).toRealPath();
        assumeTrue(Files.exists(p), path + " not on this machine");
        Env.assumeTool("readelf", "binutils");
        try (FileByteSource src = FileByteSource.open(p)) {
            ElfFile elf = ElfFile.parse(src);

            // program headers: count and (type, vaddr) of every PT_LOAD
            String l = readelf("-l", p);
            List<String> loads = new ArrayList<>();
            Matcher m = Pattern.compile("(?m)^\\s+LOAD\\s+0x([0-9a-f]+) 0x([0-9a-f]+)").matcher(l);
            while (m.find()) loads.add(m.group(1) + "@" + m.group(2));
            List<String> ours = new ArrayList<>();
            for (ProgramHeader ph : elf.programHeaders())
                if (ph.type() == ProgramHeader.PT_LOAD) ours.add(String.format("%06x@%016x", ph.offset(), ph.vaddr()));
            assertEquals(loads, ours, "PT_LOAD segments");

            // dynamic: soname and needed
            String d = readelf("-d", p);
            Matcher so = Pattern.compile("\\(SONAME\\)\\s+Library soname: \\[(.*)\\]").matcher(d);
            assertEquals(so.find() ? so.group(1) : null, elf.dynamic().soname(), "SONAME");
            List<String> needed = new ArrayList<>();
            Matcher n = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[(.*)\\]").matcher(d);
            while (n.find()) needed.add(n.group(1));
            assertEquals(needed, elf.dynamic().needed(), "DT_NEEDED");

            // dynamic symbols: count and a few names
            String s = readelf("--dyn-syms", p);
            int dynsyms = sumMatches(s, "Symbol table '\\.dynsym' contains (\\d+) entries");
            List<Symbol> syms = ElfSymbols.dynamic(elf);
            assertEquals(dynsyms, syms.size(), ".dynsym entries");

            // dynamic relocations (.rela.dyn + .rela.plt)
            String r = readelf("-r", p);
            int relocs = sumMatches(r, "Relocation section '\\.rela?\\.(?:dyn|plt)' at offset 0x[0-9a-f]+ contains (\\d+) entr");
            List<Relocation> all = ElfRelocations.dynamic(elf);
            assertEquals(relocs, all.stream().filter(x -> x.type() != Relocation.RELR).count(), "RELA relocations");
            boolean hasRelr = r.contains("'.relr.dyn'");
            assertEquals(hasRelr, all.stream().anyMatch(x -> x.type() == Relocation.RELR), "RELR relocations decoded");

            // symbol versions
            String v = readelf("-V", p);
            int defs = sumMatches(v, "Version definition section '\\.gnu\\.version_d' contains (\\d+) entr");
            ElfVersions ver = ElfVersions.of(elf, syms.size());
            assertEquals(defs, ver.definitions().size(), "version definitions");
            int needs = sumMatches(v, "Version needs section '\\.gnu\\.version_r' contains (\\d+) entr");
            assertEquals(needs, ver.needs().size(), "version needs");

            // build-id
            String notes = readelf("-n", p);
            Matcher b = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(notes);
            assertEquals(b.find() ? b.group(1) : null, ElfNotes.buildId(elf), "build-id");
        }
    }
}
