package io.lminspect.decode;

import io.lminspect.check.MappedFile;
import io.lminspect.crash.Crash;
import io.lminspect.elf.ElfFile;
import io.lminspect.elf.FileByteSource;
import io.lminspect.finding.Finding;
import io.lminspect.finding.FindingCode;
import io.lminspect.finding.Remedies;
import io.lminspect.finding.Severity;
import io.lminspect.inferior.FileFacts;
import io.lminspect.inferior.FileId;
import io.lminspect.inferior.Mapping;
import io.lminspect.inferior.SafeFiles;
import io.lminspect.linker.AddressNamer;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Explains a HotSpot fatal error log as `core` explains a core: the pc and the fault address
 * placed in the maps the log carries (a symbol from today's file only when its inode is the one
 * that was mapped), every mapped file compared with the file at that path today, and the
 * overwritten-library incident named when ld.so crashed under System.load with a library in the
 * maps rewritten between its load and the crash.
 *
 * <p>Times: the log gives the crash to the second ("Time:") and the JVM's age to the microsecond;
 * its own birth time (statx), when it falls in that second, gives the crash to a few
 * milliseconds. A change is judged "after the load" only beyond every uncertainty; inside it,
 * it is not judged and a note says so (the evidence rule).
 */
public final class HsErrExplainer {
    /** A change this close after the latest possible load is not told from the load (a file written, then loaded, at once). */
    static final long SLACK_MS = 50;
    /**
     * How long HotSpot may take from the crash to creating its log, and from creating it to printing
     * its "Time:" line (both come first thing): the bound on how far the log's birth dates either.
     */
    static final long PRINT_LAG_MS = 100;

    private final HsErrLog log;
    private final String file;
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long crashEarliest, crashLatest, startEarliest, startLatest;
    private boolean timed;
    private String timeFrom;

    private HsErrExplainer(HsErrLog log, String file) {
        this.log = log;
        this.file = file;
    }

    /** file: the log's path (for its birth time), or null when it came on stdin. */
    public static HsErrExplained explain(HsErrLog log, String file) {
        return new HsErrExplainer(log, file).explain();
    }

    private HsErrExplained explain() {
        timeFrom = times();
        Map<FileId, List<Mapping>> byFile = new LinkedHashMap<>();
        for (Mapping m : log.maps().all())
            if (m.fileBacked() && !MappedFile.pseudo(m.path())) byFile.computeIfAbsent(m.fileId(), k -> new ArrayList<>()).add(m);
        if (log.maps().all().isEmpty()) notes.add("the log has no \"Dynamic libraries:\" section: nothing to compare with today's files");
        if (log.unreadMapsLines() > 0) notes.add(log.unreadMapsLines() + " lines of \"Dynamic libraries:\" were not maps lines and were skipped");
        List<HsErrExplained.Library> libs = new ArrayList<>();
        Map<FileId, String> state = new LinkedHashMap<>();
        for (Map.Entry<FileId, List<Mapping>> e : byFile.entrySet()) {
            String today = judge(e.getKey(), e.getValue());
            state.put(e.getKey(), today);
            Mapping first = e.getValue().get(0);
            libs.add(new HsErrExplained.Library(first.path(), first.dev(), first.inode(), loadedAt(first.path()), today));
        }
        Crash crash = crash(state);
        findings.sort((a, b) -> b.severity().compareTo(a.severity()));
        return new HsErrExplained(file, log.pid(), log.jre(), log.command(), log.threadName(), timed ? startLatest : null,
                timed ? crashLatest : null, timed ? crashLatest - crashEarliest : 0, timeFrom, crash, pcOffset,
                log.problematicFrame(), log.javaFrames(), log.nativeFrames(), List.copyOf(libs), List.copyOf(findings), List.copyOf(notes));
    }

    // --- times ---

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

    /** Sets the crash and start windows; returns where the crash time came from (null: the log gives none). */
    private String times() {
        if (log.timeText() == null || log.elapsedSeconds() == null) {
            notes.add("the log gives no crash time or no elapsed time: no file change is judged against the JVM's life");
            return null;
        }
        String[] words = log.timeText().trim().split("\\s+");
        if (words.length < 5) {
            notes.add("the log's time \"" + SafeText.clean(log.timeText()) + "\" is not understood: no file change is judged");
            return null;
        }
        long second;
        String zoneWord = words.length > 5 ? words[5] : null;
        ZoneId zone = zone(zoneWord);
        try {
            second = LocalDateTime.parse(String.join(" ", words[0], words[1], words[2], words[3], words[4]), TIME).atZone(zone)
                    .toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            notes.add("the log's time \"" + SafeText.clean(log.timeText()) + "\" is not understood: no file change is judged");
            return null;
        }
        if (zoneWord != null && !zoneWord.equals("UTC") && !zoneWord.equals("GMT") && zone.equals(ZoneId.systemDefault()))
            notes.add("the log's time zone " + SafeText.clean(zoneWord) + " was read as this machine's (" + zone + ")");
        // the "Time:" line was printed at T, within its second; the log was created just before it (its birth, when the
        // filesystem keeps one and the log was not copied since), and the JVM's age printed with it dates the start
        long printEarliest = second, printLatest = second + 999;
        String from = "the log's \"Time:\" line (to the second)";
        Optional<FileFacts> self = file == null ? Optional.empty() : FileFacts.of(Path.of(file));
        long born = self.map(FileFacts::bornMillis).orElse(-1L);
        if (born >= second - PRINT_LAG_MS && born <= second + 999) {
            printEarliest = Math.max(second, born);
            printLatest = Math.min(second + 999, born + PRINT_LAG_MS);
            from = "the log file's birth time and its \"Time:\" line";
        }
        double age = log.elapsedSeconds();
        long agePrecision = age == Math.rint(age) ? 1000 : 1; // JDK 8 gives whole seconds
        long ageMillis = Math.round(age * 1000);
        startEarliest = printEarliest - ageMillis - agePrecision;
        startLatest = printLatest - ageMillis + agePrecision;
        crashEarliest = printEarliest - PRINT_LAG_MS;
        crashLatest = printLatest;
        timed = true;
        return from;
    }

    private static ZoneId zone(String word) {
        if (word == null || word.equals("UTC") || word.equals("GMT")) return ZoneOffset.UTC;
        try {
            return ZoneId.of(word, ZoneId.SHORT_IDS);
        } catch (RuntimeException e) {
            return ZoneId.systemDefault();
        }
    }

    private Double loadedAt(String path) {
        return log.loadedAt().get(path);
    }

    // --- files ---

    /** What the path holds today against the mapped file; adds the finding. */
    private String judge(FileId id, List<Mapping> ms) {
        Mapping first = ms.get(0);
        String path = first.path();
        if (first.deleted()) return "deleted"; // already gone when the JVM died: the log says so itself
        Optional<FileFacts> now = FileFacts.of(Path.of(path));
        if (now.isEmpty()) return "unknown";
        FileFacts f = now.get();
        // a data file (the JVM's perf data, the CDS archive, a memory-mapped store) is written and removed by design:
        // only its end matters (SIGBUS past it); code is what must not change under a process
        if (ms.stream().noneMatch(Mapping::executable)) {
            if (f.exists() && f.id().equals(id)) pastEof(id, ms, f);
            return !f.exists() ? "deleted" : f.id().equals(id) ? "same" : "replaced";
        }
        if (!f.exists()) {
            add(Finding.of(Severity.INFO, FindingCode.FILE_DELETED).object(path).mapped(path, id).address(first.start())
                    .message(SafeText.clean(path) + " is gone today")
                    .evidence("no file at that path now; the log maps dev " + first.devString() + " inode " + first.inode())
                    .consequence("nothing: a process that maps it keeps the inode (a JNI loader often deletes its extracted copy)")
                    .remedy("none needed for the crash; if it belongs to a package, reinstall it"));
            return "deleted";
        }
        if (!f.id().equals(id)) {
            add(Finding.of(Severity.WARNING, FindingCode.FILE_REPLACED).object(path).mapped(path, id).address(first.start())
                    .message(SafeText.clean(path) + " names another file today")
                    .evidence("the log maps dev " + first.devString() + " inode " + first.inode() + "; the path is inode " + f.id().inode() + " now"
                            + (timed && f.ctimeMillis() > crashLatest ? ", changed after the crash (" + at(f.ctimeMillis()) + ")" : ""))
                    .consequence("the file on disk is not the one that ran: symbols and bytes read from it now do not describe the crash")
                    .remedy("compare the versions; a JVM restarted now loads the new file"));
            return "replaced";
        }
        pastEof(id, ms, f);
        if (!timed) return "same";
        long changed = Math.max(f.mtimeMillis(), f.ctimeMillis());
        Double t = loadedAt(path);
        long loadEarliest, loadLatest;
        if (t != null) {
            loadEarliest = startEarliest + Math.round(t * 1000);
            loadLatest = startLatest + Math.round(t * 1000);
        } else if (log.loadLogComplete() && f.bornMillis() < startEarliest) {
            // no load event and none dropped: mapped when the JVM started (its own libraries, the executable)
            loadEarliest = Long.MIN_VALUE;
            loadLatest = startLatest;
        } else {
            if (changed > startLatest && changed <= crashLatest)
                notes.add("not judged: " + SafeText.clean(path) + " changed while the JVM ran (" + at(changed) + "), and the log no longer says when it was loaded");
            return changed > startLatest ? "unknown" : "same";
        }
        if (changed <= loadEarliest || changed <= loadLatest + SLACK_MS) {
            if (changed > loadEarliest && changed > startLatest)
                notes.add("not judged: " + SafeText.clean(path) + " changed at " + at(changed) + ", within the "
                        + (loadLatest + SLACK_MS - loadEarliest) + " ms the log's times allow around its load");
            return "same";
        }
        boolean beforeCrash = changed <= crashLatest;
        Severity sev = !beforeCrash ? Severity.INFO : implicated(ms) ? Severity.CRITICAL : Severity.WARNING;
        add(Finding.of(sev, FindingCode.FILE_REWRITTEN_IN_PLACE).object(path).mapped(path, id).address(first.start())
                .message(SafeText.clean(path) + " was written in place " + (beforeCrash ? "after the JVM loaded it and before the crash" : "after the crash"))
                .evidence("the same inode (" + first.inode() + ") as the log maps, changed at " + at(changed) + " (mtime/ctime); loaded at "
                        + (t != null ? String.format(Locale.ROOT, "%.3f s after the JVM's start, %s at the latest", t, at(loadLatest))
                        : "the JVM's start, " + at(loadLatest) + " at the latest")
                        + "; the crash " + at(crashLatest) + " at the latest (times from " + timeFrom + ")")
                .consequence(beforeCrash ? "the JVM's mapping of it changed under it: pages it had not touched read the new bytes, while what ld.so relocated is the old file's"
                        : "the file on disk is not the one that ran: symbols read from it now may not describe the crash")
                .remedy(beforeCrash ? "give each JVM its own directory for extracted libraries (-Djava.io.tmpdir, or the library's own property "
                        + "such as org.sqlite.tmpdir) and never overwrite a library a process has mapped; " + Remedies.RESTART_AND_INSTALL
                        : "keep a copy of the libraries that ran when a crash is kept for study"));
        return "rewritten";
    }

    /** The crash touches this object: its code ran, the fault address lies in it, or ld.so crashed (it reads every loaded object). */
    private boolean implicated(List<Mapping> ms) {
        for (Mapping m : ms) {
            if (log.pc() != null && m.contains(log.pc())) return true;
            if (log.address() != null && m.contains(log.address())) return true;
        }
        Mapping pcm = log.pc() == null ? null : log.maps().find(log.pc());
        return pcm != null && isLdSo(pcm.path());
    }

    private static boolean isLdSo(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.startsWith("ld-linux") || name.startsWith("ld-") && name.contains(".so");
    }

    /** A mapping of the file that reaches past its end today: SIGBUS there; critical when the fault address is there under a SIGBUS. */
    private void pastEof(FileId id, List<Mapping> ms, FileFacts f) {
        long end = (f.size() + Mapping.PAGE - 1) & ~(Mapping.PAGE - 1);
        for (Mapping m : ms) {
            if (m.perms().startsWith("---")) continue; // a PROT_NONE gap (an aligned library's) is never touched
            long fileEnd = m.offset() + m.size();
            if (Long.compareUnsigned(fileEnd, end) <= 0) continue;
            long firstPast = m.start() + Math.max(0, end - m.offset());
            boolean hit = "SIGBUS".equals(log.signalName()) && log.address() != null
                    && Long.compareUnsigned(log.address(), firstPast) >= 0 && m.contains(log.address());
            add(Finding.of(hit ? Severity.CRITICAL : Severity.WARNING, FindingCode.MAPPING_PAST_EOF).object(m.path()).mapped(m.path(), id)
                    .address(firstPast)
                    .message(SafeText.clean(m.path()) + " is " + f.size() + " bytes today, but the JVM mapped it up to file offset " + Hex.of(fileEnd)
                            + (hit ? ": the fault address " + Hex.of(log.address()) + " lies past its end" : ""))
                    .evidence("mapping " + m.range() + " " + m.perms() + " at file offset " + Hex.of(m.offset()) + "; pages from " + Hex.of(firstPast) + " have no file behind them")
                    .consequence(hit ? "the file was truncated while it was mapped, and the JVM (native code: JNI, JNA, a memory-mapped store) read past the new end: SIGBUS"
                            : "touching those pages raises SIGBUS")
                    .remedy("never truncate a file another process maps; write a new file and rename it over the old one"));
            return;
        }
    }

    // --- the crash ---

    private String pcOffset;

    private Crash crash(Map<FileId, String> state) {
        Long pc = log.pc();
        Mapping pcm = pc == null ? null : log.maps().find(pc);
        String pcObject = null, pcSymbol = null;
        if (pcm != null) {
            long off = pcm.offset() + (pc - pcm.start());
            pcObject = pcm.path();
            pcOffset = Hex.of(off);
            String today = state.get(pcm.fileId());
            pcSymbol = symbol(pcm, off, today);
            if (pcSymbol == null) pcSymbol = frameSymbol(pcm, off);
            if (pcSymbol == null && today != null && !today.equals("same"))
                notes.add("no symbol for the pc: " + SafeText.clean(pcm.path()) + " is not the file that ran (" + today + ")");
        }
        Mapping am = log.address() == null ? null : log.maps().find(log.address());
        String caller = null;
        for (String f : log.javaFrames()) {
            if (f.contains("java.lang.System.load")) {
                caller = "java.lang.System.load" + (f.contains("loadLibrary") ? "Library" : "");
                break;
            }
            if (f.contains("java.lang.Runtime.load")) caller = "java.lang.Runtime.load";
        }
        StringBuilder why = new StringBuilder();
        String rewritten = null;
        for (Map.Entry<FileId, String> e : state.entrySet())
            if (e.getValue().equals("rewritten") && rewrittenBeforeCrash(e.getKey())) rewritten = pathOf(e.getKey());
        if (log.signalName() == null) {
            why.append("the JVM did not die of a signal (").append(log.problematicFrame() == null ? "an internal error" : SafeText.clean(log.problematicFrame()))
                    .append("): the files it mapped are compared below");
        } else if (pcm != null && isLdSo(pcm.path()) && log.inLibraryLoad() && rewritten != null) {
            why.append("ld.so crashed while ").append(caller != null ? caller : "System.load").append(" was loading a library: it reads every loaded object's ")
                    .append("soname and dynamic section there, and ").append(SafeText.clean(rewritten))
                    .append(" was overwritten in place after the JVM loaded it. Its file changed under the mapping, so ld.so read the new bytes where it had ")
                    .append("relocated the old ones: the overwritten-library crash, as when two JVMs, or two versions of one library, extract a JNI ")
                    .append("library to the same path");
        } else if (pcm != null && rewritten != null && rewritten.equals(pcm.path())) {
            why.append("the JVM was executing code of ").append(SafeText.clean(rewritten))
                    .append(", which was overwritten in place after the JVM loaded it: the code that ran is not what was loaded");
        } else if ("SIGBUS".equals(log.signalName()) && findings.stream().anyMatch(f -> f.code() == FindingCode.MAPPING_PAST_EOF && f.severity() == Severity.CRITICAL)) {
            why.append("the fault address lies past the end of ").append(SafeText.clean(am == null ? "a mapped file" : am.path()))
                    .append(": the file was truncated while the JVM had it mapped");
        } else {
            why.append(log.signalName()).append(log.code() == null ? "" : " " + log.code());
            if (log.address() != null) {
                why.append(" at ").append(Hex.of(log.address()));
                if (am != null) why.append(" (in ").append(SafeText.clean(am.path().isEmpty() ? "anonymous memory" : am.path())).append(")");
                else if (Long.compareUnsigned(log.address(), 0x10000) < 0) why.append(" (a small address: a NULL pointer plus a field offset)");
                else why.append(" (mapped by nothing)");
            }
            if (pcObject != null) why.append(", executing ").append(SafeText.clean(pcObject)).append(" +").append(pcOffset)
                    .append(pcSymbol != null ? " (" + SafeText.clean(pcSymbol) + ")" : "");
            if (rewritten != null) why.append("; ").append(SafeText.clean(rewritten)).append(" was overwritten in place before the crash");
        }
        return new Crash(log.signal(), log.signalName(), log.code(), log.address(), pc == null ? 0 : pc, pcObject, pcSymbol, caller,
                (int) log.thread(), why.toString());
    }

    private boolean rewrittenBeforeCrash(FileId id) {
        for (Finding f : findings)
            if (f.code() == FindingCode.FILE_REWRITTEN_IN_PLACE && id.equals(f.file()) && f.severity() != Severity.INFO) return true;
        return false;
    }

    private String pathOf(FileId id) {
        for (Mapping m : log.maps().all()) if (m.fileBacked() && m.fileId().equals(id)) return m.path();
        return null;
    }

    /** The symbol at a file offset, from today's file when it is still the inode that was mapped and unchanged. */
    private String symbol(Mapping m, long offset, String today) {
        if (!"same".equals(today)) return null;
        FileChannel ch = SafeFiles.openRegular(Path.of(m.path()), m.dev(), m.inode(), false);
        if (ch == null) return null;
        try (FileByteSource src = new FileByteSource(ch, m.path())) {
            AddressNamer.Name n = new AddressNamer(null, null).symbolize(m.path(), ElfFile.parse(src), offset);
            return n.symbol() == null ? null : n.symbol() + "+" + Hex.of(n.symbolOffset());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The symbol HotSpot named in "Problematic frame:" ("C  [libx.so+0xa298]  Java_…_getByte+0xd8"), when the
     * frame is the pc's object at the pc's offset: the JVM read it from the file that ran.
     */
    private String frameSymbol(Mapping m, long offset) {
        String f = log.problematicFrame();
        if (f == null) return null;
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("\\[([^\\]]+)\\+0x([0-9a-fA-F]+)\\]\\s+(\\S+)").matcher(f);
        if (!x.find()) return null;
        String name = m.path().substring(m.path().lastIndexOf('/') + 1);
        if (!x.group(1).equals(name) || Long.parseUnsignedLong(x.group(2), 16) != offset) return null;
        return x.group(3) + " (as the JVM named it)";
    }

    private void add(Finding.Builder f) {
        findings.add(f.build());
    }

    private static String at(long epochMillis) {
        return io.lminspect.util.Plain.utc(epochMillis);
    }
}
