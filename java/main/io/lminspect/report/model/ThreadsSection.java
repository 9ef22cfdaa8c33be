package io.lminspect.report.model;

import io.lminspect.check.BadPointerRegisters;
import io.lminspect.inferior.RegisterSnapshot;
import io.lminspect.inferior.ThreadState;
import io.lminspect.linker.AddressNamer;

import java.util.ArrayList;
import java.util.List;

/**
 * The threads of a process or core, the same section for both: from a live
 * process's register snapshot (pauseMillis: how long it was stopped) or from a
 * core's NT_PRSTATUS notes (pauseMillis null: nothing was stopped).
 */
public record ThreadsSection(List<ThreadView> threads, List<String> problems, Double pauseMillis) {

    public static ThreadsSection of(RegisterSnapshot snapshot, AddressNamer namer, BadPointerRegisters bad) {
        List<ThreadView> views = new ArrayList<>();
        for (ThreadState t : snapshot.threads()) {
            AddressNamer.Name pc = namer.name(t.pc()), sp = namer.name(t.sp());
            views.add(new ThreadView(t.tid(), t.state(), t.registers(), t.pc(), pc == null ? null : pc.object(),
                    pc == null ? null : pc.symbolText(), pc == null ? null : pc.toString(), t.sp(), sp == null ? null : sp.object(),
                    bad.marks(t)));
        }
        return new ThreadsSection(List.copyOf(views), List.copyOf(snapshot.problems()), snapshot.pauseMillis());
    }
}
