package io.lminspect.inferior;

import io.lminspect.elf.ElfClass;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;
import io.lminspect.util.SafeText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every thread's registers, read in one short stop: the threads are listed from
 * /proc/PID/task, then lmh_regs_snapshot seizes, interrupts, reads and detaches
 * them all in one native call on the ptrace thread (docs/design.md, rule 1: SEIZE, never
 * ATTACH, so a killed lminspect leaves the target running).
 */
public record RegisterSnapshot(List<ThreadState> threads, List<String> problems, long pauseNanos) {
    /** How long to wait for the threads to reach their ptrace stop, for all threads together: a thread in uninterruptible sleep must not keep the others stopped. */
    static final int STOP_TIMEOUT_MS = 200;
    /** The largest register set (x86-64 user_regs_struct); an i386 tracee returns 68 bytes of it. */
    static final int STRIDE = ElfClass.ELF64.registerSetSize();
    /** A process with more threads is snapshot in its first MAX_THREADS only (the stop stays short). */
    static final int MAX_THREADS = 4096;

    /** How long the process was stopped, or null when nothing was stopped (a core's registers). */
    public Double pauseMillis() {
        return pauseNanos < 0 ? null : pauseNanos / 1e6;
    }

    /** A core's registers, from its NT_PRSTATUS notes: nothing was stopped. */
    public static RegisterSnapshot ofCore(List<CoreThread> threads) {
        List<ThreadState> states = new ArrayList<>();
        for (CoreThread t : threads) states.add(t.state());
        return new RegisterSnapshot(states, List.of(), -1);
    }

    public static RegisterSnapshot take(int pid) {
        NativeHelper h = NativeHelper.Holder.get();
        if (h == null)
            throw new InspectException(Failure.NO_NATIVE_HELPER, "--regs", NativeHelper.Holder.loadError());
        List<Integer> all = listThreads(pid);
        List<Integer> tids = new ArrayList<>();
        List<String> states = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        // a thread in uninterruptible sleep (D) stops only when it wakes: seizing it would keep every other
        // thread stopped for the whole timeout. It is left running, and said, unless it is all there is.
        List<Integer> sleeping = new ArrayList<>();
        for (int tid : all) {
            String st = threadState(pid, tid);
            if (st.equals("D")) sleeping.add(tid);
            else {
                tids.add(tid);
                states.add(st);
            }
        }
        if (tids.isEmpty()) {
            tids.addAll(sleeping);
            for (int ignored : sleeping) states.add("D");
        } else {
            for (int tid : sleeping)
                problems.add("thread " + tid + ": in uninterruptible sleep (D): not stopped, its registers not read"
                        + " (stopping it would keep the other threads stopped until it wakes)");
        }
        int n = tids.size();
        int[] t = tids.stream().mapToInt(Integer::intValue).toArray();
        byte[] regs = new byte[n * STRIDE];
        int[] result = new int[n];
        long[] pause = new long[1];
        int rc = PtraceThread.call(() -> h.lmh_regs_snapshot(t, n, regs, STRIDE, result, STOP_TIMEOUT_MS, pause));
        if (rc < 0) java.util.Arrays.fill(result, rc); // the snapshot child failed or was killed: nothing was read
        List<ThreadState> out = new ArrayList<>();
        int denied = 0;
        for (int i = 0; i < n; i++) {
            if (result[i] <= 0) {
                int err = -result[i];
                if (err == Errno.EPERM) denied++;
                if (err != Errno.ESRCH) problems.add("thread " + t[i] + ": " + (err == Errno.ETIMEDOUT ? "did not stop within " + STOP_TIMEOUT_MS
                        + " ms (uninterruptible sleep?)" : Errno.name(err)));
                continue;
            }
            // the byte count tells the layout: a 32-bit tracee's set is the i386 one
            ElfClass c = result[i] == ElfClass.ELF32.registerSetSize() ? ElfClass.ELF32 : ElfClass.ELF64;
            Map<String, Long> r = RegisterLayout.decode(regs, i * STRIDE, result[i], c);
            out.add(new ThreadState(t[i], states.get(i), r, RegisterLayout.pc(r), RegisterLayout.sp(r)));
        }
        if (out.isEmpty() && denied > 0)
            throw new InspectException(Failure.PERMISSION, "ptracing process " + pid + " to read its registers");
        if (out.isEmpty())
            throw new InspectException(Failure.REGISTERS_UNREADABLE, "no thread of process " + pid + " could be stopped: " + String.join("; ", problems));
        return new RegisterSnapshot(out, problems, pause[0]);
    }

    static List<Integer> listThreads(int pid) {
        Path task = ProcFs.proc(pid, "task");
        try (Stream<Path> s = Files.list(task)) {
            List<Integer> tids = new ArrayList<>();
            s.map(p -> p.getFileName().toString()).filter(x -> x.chars().allMatch(Character::isDigit)).limit(MAX_THREADS)
                    .forEach(x -> tids.add(Integer.parseInt(x)));
            tids.sort(null);
            if (tids.isEmpty()) throw new InspectException(Failure.NO_SUCH_PROCESS, pid); // no threads left: it exited
            return tids;
        } catch (IOException e) {
            throw new InspectException(Failure.NO_SUCH_PROCESS, pid).because(e);
        }
    }

    /** The thread's state letter before it was stopped (R, S, D…). */
    static String threadState(int pid, int tid) {
        try {
            String s = Files.readString(ProcFs.proc(pid, "task").resolve(Integer.toString(tid)).resolve("stat"));
            int close = s.lastIndexOf(')');
            return close < 0 || close + 2 >= s.length() ? "?" : SafeText.clean(s.substring(close + 2, close + 3));
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
