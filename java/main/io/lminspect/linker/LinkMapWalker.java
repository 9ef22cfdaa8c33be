package io.lminspect.linker;

import io.lminspect.elf.DynamicEntry;
import io.lminspect.elf.DynamicTag;
import io.lminspect.elf.ElfDynamic;
import io.lminspect.inferior.Memory;
import io.lminspect.inferior.ReadRequest;
import io.lminspect.util.Budgets;
import io.lminspect.util.Bytes;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks every namespace's link_map chain once, through the Target's read
 * primitive, never trusting it: each pointer is checked against the mappings
 * before it is read, the walk is bounded and detects loops, strings are capped.
 * Per entry it makes one read (the struct, for l_next); the entries' names, dynamic
 * arrays and l_info targets are read in one batch for up to DETAIL_BATCH entries. The soname strings need each object's
 * file to compute (see SonameReader).
 */
public final class LinkMapWalker {
    public static final int MAX_ENTRIES = 4096;
    public static final int MAX_NAMESPACES = 16;
    public static final int NAME_CAP = 4096;
    /** What the first read of a name and of a dynamic array asks for (a path, 64 entries of ELF64). */
    static final int NAME_FIRST = 256, DYNAMIC_FIRST = 1024;
    static final int DYNAMIC_CAP = 4096;
    static final int STATE_REREADS = 5;

    private final Memory mem;
    private final int w;
    /** What could not be read because a core left it out and its file is not available: not judged. */
    private final List<String> unread = new ArrayList<>();
    /** Budgets across every namespace of the process (rule 7): entries and name bytes read so far, and why the walk stopped. */
    private int entriesRead;
    private long nameBytesRead;
    private String cut;

    public LinkMapWalker(Memory mem) {
        this.mem = mem;
        this.w = mem.wordSize();
    }

    public LinkerState walk() {
        RDebugLocator.Location loc = new RDebugLocator(mem).locate();
        LinkMapLayout layout = "musl".equals(loc.libc()) ? LinkMapLayout.musl(w) : LinkMapLayout.glibc(w);
        List<RDebug> spaces = new ArrayList<>();
        List<LinkMapEntry> entries = new ArrayList<>();
        List<ChainProblem> problems = new ArrayList<>();
        int rereads = 0;
        if (loc.address() == 0) return new LinkerState(loc, spaces, entries, problems, layout, 0, unread, null);

        long at = loc.address();
        Map<Long, Integer> seenDebug = new HashMap<>();
        for (int ns = 0; at != 0 && ns < MAX_NAMESPACES; ns++) {
            if (seenDebug.containsKey(at)) {
                problems.add(new ChainProblem(ns, -1, at, null, "r_debug.r_next loops back to namespace " + seenDebug.get(at)));
                break;
            }
            seenDebug.put(at, ns);
            RDebug rd = readRDebug(at, ns);
            for (int i = 0; rd != null && rd.state() != RDebug.RT_CONSISTENT && i < STATE_REREADS; i++) {
                rereads++;
                sleep();
                rd = readRDebug(at, ns);
            }
            if (rd == null) {
                problems.add(new ChainProblem(ns, -1, at, null, "r_debug at " + Hex.of(at) + " is not readable"));
                break;
            }
            spaces.add(rd);
            if (rd.rMap() != 0) walkNamespace(rd, layout, entries, problems);
            if (cut != null) break;
            at = rd.version() >= 2 && layout.hasLInfo() ? rd.rNext() : 0;
        }
        return new LinkerState(loc, spaces, entries, problems, layout, rereads, unread, cut);
    }

    private static void sleep() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RDebug readRDebug(long at, int ns) {
        byte[] b = mem.read(at, 6 * w);
        if (b == null) {
            b = mem.read(at, 5 * w); // r_debug without r_next (glibc < 2.35, musl)
            if (b == null) return null;
        }
        int version = (int) Bytes.u32(b, 0);
        long rNext = b.length >= 6 * w ? Bytes.word(b, 5 * w, w) : 0;
        return new RDebug(at, version, Bytes.word(b, w, w), Bytes.word(b, 2 * w, w), (int) Bytes.u32(b, 3 * w),
                Bytes.word(b, 4 * w, w), rNext, ns);
    }

    /**
     * Entries whose details (name, dynamic array, l_info targets) wait to be read in one batch
     * for many entries: the chain itself must be followed one struct at a time (l_next), the
     * details need not. Flushed every DETAIL_BATCH entries (so the name budget is checked at
     * most that many entries late), before a chain problem names the previous entry, and at
     * the end of the chain.
     */
    static final int DETAIL_BATCH = 64;

    private void walkNamespace(RDebug rd, LinkMapLayout layout, List<LinkMapEntry> out, List<ChainProblem> problems) {
        List<Draft> pending = new ArrayList<>();
        try {
            walkNamespace(rd, layout, out, problems, pending);
        } finally {
            flush(pending, layout, out);
        }
    }

    /** The entry before the one being read (its details read first, for its name), or null at the head of the chain. */
    private LinkMapEntry previous(List<Draft> pending, LinkMapLayout layout, List<LinkMapEntry> out, int nsStart) {
        flush(pending, layout, out);
        return out.size() > nsStart ? out.get(out.size() - 1) : null;
    }

    private void walkNamespace(RDebug rd, LinkMapLayout layout, List<LinkMapEntry> out, List<ChainProblem> problems, List<Draft> pending) {
        Map<Long, Integer> seen = new HashMap<>();
        long addr = rd.rMap();
        long prev = 0;
        int nsStart = out.size();
        int ns = rd.namespace();
        for (int idx = 0; addr != 0; idx++) {
            if (pending.size() >= DETAIL_BATCH) flush(pending, layout, out);
            if (entriesRead >= Budgets.TOTAL_ENTRIES || nameBytesRead >= Budgets.NAME_BYTES) {
                cut = "the link_map walk stopped at its budget of " + (entriesRead >= Budgets.TOTAL_ENTRIES
                        ? Budgets.TOTAL_ENTRIES + " entries" : (Budgets.NAME_BYTES >> 10) + " KiB of names")
                        + " across all namespaces: " + entriesRead + " entries in " + (ns + 1) + " namespace" + (ns == 0 ? "" : "s")
                        + " read, " + nameBytesRead + " bytes of names";
                return;
            }
            if (idx >= MAX_ENTRIES) {
                problems.add(new ChainProblem(ns, idx, addr, null, "the chain has more than " + MAX_ENTRIES + " entries; walk stopped"));
                return;
            }
            if (seen.containsKey(addr)) {
                LinkMapEntry prevEntry = previous(pending, layout, out, nsStart);
                problems.add(new ChainProblem(ns, idx - 1, prev, prevEntry == null ? null : prevEntry.name(),
                        "loop: l_next of entry " + (idx - 1) + " is " + Hex.of(addr) + ", which is entry " + seen.get(addr)
                                + " again (ld.so and pldd would walk this chain forever)"));
                return;
            }
            byte[] b = mem.read(addr, layout.entryBytes());
            if (b == null && mem.firstUnavailable(addr, layout.entryBytes()) >= 0) {
                unread.add("the chain was not followed past entry " + (idx - 1) + ": the entry at " + Hex.of(addr)
                        + " lies in memory the core did not dump, and its file is not available");
                return;
            }
            if (b == null) {
                LinkMapEntry prevEntry = previous(pending, layout, out, nsStart);
                String who = prevEntry == null ? "r_debug.r_map" : "l_next of entry " + (idx - 1);
                problems.add(new ChainProblem(ns, idx - 1, addr, prevEntry == null ? null : prevEntry.name(),
                        who + " is " + Hex.of(addr) + ", outside every readable mapping: the entry cannot be read"));
                return;
            }
            seen.put(addr, idx);
            Draft e = parseEntry(b, layout, ns, idx, addr);
            if (e.lPrev != prev) {
                problems.add(new ChainProblem(ns, idx, addr, null, "l_prev of entry " + idx + " is " + Hex.of(e.lPrev)
                        + " but the previous entry is at " + Hex.of(prev) + " (gdb: \"Corrupted shared library list\")"));
            }
            pending.add(e);
            entriesRead++;
            prev = addr;
            addr = e.lNext;
        }
    }

    /** Reads the details of the pending entries in one batch (and one more for the few that overflow it), then builds them in order. */
    private void flush(List<Draft> pending, LinkMapLayout layout, List<LinkMapEntry> out) {
        if (pending.isEmpty()) return;
        List<ReadRequest> batch = new ArrayList<>(pending.size() * 4);
        for (Draft e : pending) e.requestDetails(this, layout, batch);
        mem.readChecked(batch);
        List<ReadRequest> again = new ArrayList<>();
        for (Draft e : pending) e.requestAgain(this, layout, again);
        mem.readChecked(again);
        for (Draft e : pending) {
            finishDetails(e, layout);
            nameBytesRead += e.nameLength;
            out.add(e.build());
        }
        pending.clear();
    }

    /** An entry while the walk fills it in; the walk hands out only the immutable LinkMapEntry it builds. */
    private static final class Draft {
        final int namespace, index;
        final long address;
        long lAddr, lNamePtr, lLd, lNext, lPrev;
        String name = "";
        boolean nameReadable, nameTerminated;
        int nameLength;
        long infoStrtab, infoSoname;
        boolean lInfoVerified;
        long strtabValue, sonameOffset;
        boolean strtabRead, sonameRead;
        List<DynamicEntry> dynamicInMemory = List.of();
        boolean dynamicReadable;
        final List<String> walkProblems = new ArrayList<>();
        /** The detail reads while they are in flight. */
        ReadRequest rName, rDynamic, rStrtab, rSoname;

        Draft(int namespace, int index, long address) {
            this.namespace = namespace;
            this.index = index;
            this.address = address;
        }

        /**
         * Name and dynamic array are asked for at a size that holds nearly all of them; only one
         * that fills it unterminated is read again at the full cap (reading 8 KiB per entry cost
         * a scan a fifth of its time in copying).
         */
        void requestDetails(LinkMapWalker wk, LinkMapLayout layout, List<ReadRequest> batch) {
            int dyn = layout.dynEntry();
            rName = lNamePtr != 0 ? wk.mem.stringRequest(lNamePtr, NAME_FIRST) : null;
            rDynamic = lLd != 0 ? wk.mem.stringRequest(lLd, DYNAMIC_FIRST) : null;
            rStrtab = infoStrtab != 0 ? new ReadRequest(infoStrtab, dyn) : null;
            rSoname = infoSoname != 0 ? new ReadRequest(infoSoname, dyn) : null;
            for (ReadRequest r : new ReadRequest[]{rName, rDynamic, rStrtab, rSoname}) if (r != null && r.got != -1) batch.add(r);
        }

        void requestAgain(LinkMapWalker wk, LinkMapLayout layout, List<ReadRequest> again) {
            if (rName != null && rName.got == NAME_FIRST && Bytes.indexOfNul(rName.data, 0, rName.got) < 0) {
                rName = wk.mem.stringRequest(lNamePtr, NAME_CAP);
                if (rName.got != -1) again.add(rName);
            }
            if (rDynamic != null && rDynamic.got == DYNAMIC_FIRST && !wk.endsWithin(rDynamic, layout.dynEntry())) {
                rDynamic = wk.mem.stringRequest(lLd, DYNAMIC_CAP);
                if (rDynamic.got != -1) again.add(rDynamic);
            }
        }

        LinkMapEntry build() {
            return new LinkMapEntry(namespace, index, address, lAddr, lNamePtr, lLd, lNext, lPrev, name, nameReadable,
                    nameTerminated, nameLength, infoStrtab, infoSoname, lInfoVerified, strtabValue, sonameOffset,
                    strtabRead, sonameRead, dynamicInMemory, dynamicReadable, walkProblems);
        }
    }

    private Draft parseEntry(byte[] b, LinkMapLayout layout, int ns, int idx, long addr) {
        Draft e = new Draft(ns, idx, addr);
        e.lAddr = Bytes.word(b, layout.lAddr(), w);
        e.lNamePtr = Bytes.word(b, layout.lName(), w);
        e.lLd = Bytes.word(b, layout.lLd(), w);
        e.lNext = Bytes.word(b, layout.lNext(), w);
        e.lPrev = Bytes.word(b, layout.lPrev(), w);
        if (layout.hasLInfo()) {
            e.infoStrtab = Bytes.word(b, layout.lInfo(DynamicTag.DT_STRTAB), w);
            e.infoSoname = Bytes.word(b, layout.lInfo(DynamicTag.DT_SONAME), w);
        }
        return e;
    }

    /** What the detail reads found: the name, the dynamic array, the l_info targets, and the problems with them. */
    private void finishDetails(Draft e, LinkMapLayout layout) {
        int dyn = layout.dynEntry();
        ReadRequest name = e.rName, dynamic = e.rDynamic, strtab = e.rStrtab, soname = e.rSoname;
        e.rName = e.rDynamic = e.rStrtab = e.rSoname = null; // the buffers are garbage once parsed
        if (e.lNamePtr == 0) {
            e.walkProblems.add("l_name is NULL");
        } else if (name.got <= 0 && notDumped(e, "l_name", e.lNamePtr)) {
            e.name = "(name not in the core)";
        } else if (name.got <= 0) {
            e.walkProblems.add("l_name " + Hex.of(e.lNamePtr) + " lies outside every readable mapping");
        } else {
            int n = Bytes.indexOfNul(name.data, 0, name.got);
            e.nameReadable = true;
            e.nameTerminated = n >= 0;
            e.nameLength = n >= 0 ? n : name.got;
            e.name = SafeText.fromBytes(name.data, 0, e.nameLength);
            if (n < 0 && notDumped(e, "the end of l_name", e.lNamePtr + name.got)) e.nameReadable = false;
            else if (n < 0) e.walkProblems.add("l_name at " + Hex.of(e.lNamePtr) + " is not NUL-terminated within "
                    + name.got + " readable bytes (printed capped and escaped)");
        }
        if ((dynamic == null || dynamic.got <= 0) && e.lLd != 0 && notDumped(e, "l_ld", e.lLd)) {
            // not judged
        } else if (dynamic == null || dynamic.got <= 0) {
            e.walkProblems.add("l_ld " + Hex.of(e.lLd) + " lies outside every readable mapping");
        } else {
            e.dynamicReadable = true;
            e.dynamicInMemory = ElfDynamic.parse(dynamic.data, dynamic.got / dyn, w);
        }
        if (!layout.hasLInfo()) return;
        long strtabTag = strtab != null && strtab.complete() ? Bytes.word(strtab.data, 0, w) : -1;
        if (strtab != null && strtab.complete()) {
            e.strtabValue = Bytes.word(strtab.data, w, w);
            e.strtabRead = true;
            long rel = e.infoStrtab - e.lLd;
            e.lInfoVerified = strtabTag == DynamicTag.DT_STRTAB && rel >= 0 && rel % dyn == 0 && rel < (long) DYNAMIC_CAP * 4;
        } else if (e.infoStrtab != 0 && !notDumped(e, "l_info[DT_STRTAB]", e.infoStrtab)) {
            e.walkProblems.add("l_info[DT_STRTAB] " + Hex.of(e.infoStrtab) + " lies outside every readable mapping");
        }
        if (soname != null && soname.complete()) {
            e.sonameOffset = Bytes.word(soname.data, w, w);
            e.sonameRead = true;
        } else if (e.infoSoname != 0 && !notDumped(e, "l_info[DT_SONAME]", e.infoSoname)) {
            e.walkProblems.add("l_info[DT_SONAME] " + Hex.of(e.infoSoname) + " lies outside every readable mapping");
        }
    }

    /** True (and said once, as not judged) when what a pointer leads to lies in memory a core left out with no file to read it from. */
    private boolean notDumped(Draft e, String what, long addr) {
        if (!mem.unavailable(addr)) return false;
        unread.add("entry " + e.index + ": " + what + " " + Hex.of(addr) + " lies in memory the core did not dump, and its file is not available");
        return true;
    }

    /** Whether the dynamic array read holds its DT_NULL terminator. */
    private boolean endsWithin(ReadRequest dynamic, int entrySize) {
        for (int o = 0; o + entrySize <= dynamic.got; o += entrySize) if (Bytes.word(dynamic.data, o, w) == DynamicTag.DT_NULL) return true;
        return false;
    }
}
