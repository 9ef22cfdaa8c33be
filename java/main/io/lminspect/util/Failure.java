package io.lminspect.util;


/**
 * Why a target or input could not be inspected: the one table of causes, each
 * with its message (a format for the specifics: pid, path, offsets) and what
 * to do about it. Callers branch on the cause, never on the message text.
 */
public enum Failure {
    NO_SUCH_PROCESS("no such process: %s", "check the PID with ps; the process may have exited"),
    PROCESS_EXITED("process %s exited (or its PID was reused) while it was being read",
            "nothing is reported for it; run lminspect again"),
    /** Every ptrace-access denial (/proc files, memory, registers): one wording of what to do. */
    PERMISSION("permission denied %s",
            "run lminspect as the process's user, as root, or with CAP_SYS_PTRACE; kernel.yama.ptrace_scope may also forbid it"),
    KERNEL_THREAD("process %s (%s) is a kernel thread", "it has no user address space: name a user process"),
    NO_ADDRESS_SPACE("process %s (%s) has no user address space (a kernel thread or a zombie)",
            "nothing to inspect: name a live user process"),
    NOT_A_PID("not a process id: '%s'", "give a number such as 1234"),
    NO_SUCH_FILE("no such file: %s", "check the path"),
    IS_A_DIRECTORY("%s is a directory", "name the file itself"),
    NOT_A_REGULAR_FILE("%s is not a regular file", "a FIFO or device is never read: name a regular file"),
    NOT_A_DIRECTORY("%s is not a directory", "name a directory"),
    PARTIAL_VIEW("%s, but %s processes could not be read (%s)", "run as root to see every process"),
    UNSAFE_OUTPUT_DIRECTORY("%s is writable by other users and has no sticky bit: one of them could swap the file lminspect writes for a link",
            "write into a directory only root (or you) can write, or one with the sticky bit like /tmp"),
    NOT_A_CORE("%s is not a core file: %s", "pass an ELF core from `gcore PID` or the kernel; the program goes in --exe"),
    NOT_ELF("%s is not a usable ELF file: %s", "name an ELF executable or shared object"),
    UNSUPPORTED_TARGET("%s: %s is not supported", "lminspect reads x86-64 and i386 processes and cores"),
    TRUNCATED("%s is truncated: %s", "the dump was cut short by ulimit -c, a full disk or an interrupted copy: take it again"),
    CORRUPT_CORE("%s: malformed core: %s", "the core is damaged or not from Linux x86"),
    MALFORMED_PROC("malformed %s", "this kernel's /proc format is not understood: please report it"),
    NO_NATIVE_HELPER("%s needs the native helper (%s)", "run lminspect from its launcher or install"),
    REGISTERS_UNREADABLE("registers not read: %s",
            "run again, or leave out --regs (a thread in uninterruptible sleep cannot be stopped)"),
    NO_LINK_MAP("process %s has no link_map to read (%s)", "a static or not yet started program cannot dlopen"),
    NOTHING_SELECTED("no process to check", "name processes: PID..., --all, or --exe NAME"),
    NO_MATCH("no process matches --exe %s", "is the service running? check the name with ps"),
    /** The specifics end with the first process's own cause and hint: no second hint. */
    NONE_INSPECTED("could not inspect any of the processes: pid %s: %s", ""),
    NOT_A_SIZE("%s %s is not a size", "give bytes, or a number with K, M or G"),
    NO_LINES("no lines given", "pass them as arguments, or pipe them in: dmesg | lminspect decode -"),
    NO_FAULT_LINE("no kernel fault line understood in %s line(s)",
            "expected e.g. 'prog[123]: segfault at 0 ip … sp … error 4 in prog[…]', as dmesg prints it"),
    NEITHER_LOG("%s is neither a kernel log with fault lines nor a HotSpot fatal error log (hs_err_pid*.log)",
            "give dmesg or journalctl -k lines, or the JVM's hs_err_pid<PID>.log"),
    TOO_MUCH_INPUT("too much input: %s", "filter first: dmesg | grep -A1 -E 'segfault|traps:'"),
    BAD_ARGUMENT("%s", "see lminspect COMMAND --help"),
    IO_ERROR("cannot %s: %s", "check the path, its permissions and the disk");

    private final String format;
    private final String hint;

    Failure(String format, String hint) {
        this.format = format;
        this.hint = hint;
    }

    /** The message format; %s marks each specific. */
    public String format() {
        return format;
    }

    /** What to do about it. */
    public String hint() {
        return hint;
    }

    /** The one-line message: the specifics filled in, then the hint in parentheses. */
    public String message(Object... specifics) {
        String m = String.format(Plain.LOCALE, format, specifics);
        return hint.isEmpty() ? m : m + " (" + hint + ")";
    }
}
