package io.lminspect.report;

import io.lminspect.check.BadPointerRegisters;
import io.lminspect.linker.AddressNamer;
import io.lminspect.inferior.RegisterSnapshot;
import io.lminspect.inferior.ThreadState;
import io.lminspect.util.Hex;
import io.lminspect.util.SafeText;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** `attach --regs`: the "threads" and "pause_ms" of the JSON document, or a compact block per thread. */
public final class RegistersReport implements InspectionJson.Extra {
    /** Registers shown in text (the general ones); JSON has them all. */
    private static final List<String> TEXT_REGS = List.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11",
            "r12", "r13", "r14", "r15", "eflags", "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp");

    private final RegisterSnapshot snapshot;
    private final AddressNamer namer;
    private final BadPointerRegisters bad;

    public RegistersReport(RegisterSnapshot snapshot, AddressNamer namer, BadPointerRegisters bad) {
        this.snapshot = snapshot;
        this.namer = namer;
        this.bad = bad;
    }

    @Override
    public void write(Json j) {
        j.beginArray("threads");
        for (ThreadState t : snapshot.threads()) {
            j.begin().field("tid", t.tid()).field("state", t.state());
            j.beginObject("registers");
            for (Map.Entry<String, Long> r : t.registers().entrySet()) j.field(r.getKey(), Hex.of(r.getValue()));
            j.end();
            AddressNamer.Name pc = namer.name(t.pc()), sp = namer.name(t.sp());
            j.field("pc", Hex.of(t.pc()));
            j.field("pc_object", pc == null ? null : SafeText.clean(pc.object()));
            j.field("pc_symbol", pc == null ? null : SafeText.clean(pc.symbolText()));
            j.field("sp", Hex.of(t.sp()));
            j.field("sp_object", sp == null ? null : SafeText.clean(sp.object()));
            j.beginObject("marks");
            for (Map.Entry<String, String> m : bad.marks(t).entrySet()) j.field(m.getKey(), m.getValue());
            j.end();
            j.end();
        }
        j.endArray();
        j.beginArray("register_problems");
        for (String p : snapshot.problems()) j.value(SafeText.clean(p));
        j.endArray();
        j.field("pause_ms", Math.round(snapshot.pauseMillis() * 1000) / 1000.0);
    }

    public void text(PrintStream out) {
        out.println();
        out.printf("threads: %d, stopped for %.3f ms (PTRACE_SEIZE + INTERRUPT, then detached)%n", snapshot.threads().size(),
                snapshot.pauseMillis());
        for (ThreadState t : snapshot.threads()) {
            AddressNamer.Name pc = namer.name(t.pc()), sp = namer.name(t.sp());
            out.printf("  tid %d [%s]  pc %s %s  sp %s %s%n", t.tid(), t.state(), Hex.of(t.pc()), pc == null ? "(unmapped)" : SafeText.clean(pc.toString()),
                    Hex.of(t.sp()), sp == null ? "(unmapped)" : SafeText.clean(shortObject(sp.object())));
            StringBuilder line = new StringBuilder("    ");
            int n = 0;
            for (String r : TEXT_REGS) {
                Long v = t.registers().get(r);
                if (v == null) continue;
                if (n > 0 && n % 6 == 0) {
                    out.println(line.toString().stripTrailing());
                    line = new StringBuilder("    ");
                }
                line.append(String.format("%-6s %-18s ", r, Hex.of(v)));
                n++;
            }
            if (n > 0) out.println(line.toString().stripTrailing());
            for (Map.Entry<String, String> m : bad.marks(t).entrySet())
                out.println("    !! " + m.getKey() + " = " + Hex.of(t.registers().get(m.getKey())) + ": " + m.getValue());
        }
        for (String p : snapshot.problems()) out.println("  not read: " + SafeText.clean(p));
    }

    private static String shortObject(String o) {
        return o == null ? "?" : o.substring(o.lastIndexOf('/') + 1);
    }
}
