package io.lminspect.crash;

/** Linux x86 signal and si_code names (asm-generic/signal.h, siginfo.h). */
public final class SignalNames {
    private static final String[] SIGNALS = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
            "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP",
            "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};
    private static final String[] SEGV = {"SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR", "SEGV_ACCADI", "SEGV_ADIDERR",
            "SEGV_ADIPERR", "SEGV_MTEAERR", "SEGV_MTESERR", "SEGV_CPERR"};
    private static final String[] BUS = {"BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO"};
    private static final String[] ILL = {"ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG",
            "ILL_COPROC", "ILL_BADSTK", "ILL_BADIADDR"};
    private static final String[] FPE = {"FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES",
            "FPE_FLTINV", "FPE_FLTSUB", "FPE_FLTUNK", "FPE_CONDTRAP"};
    private static final String[] TRAP = {"TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH", "TRAP_HWBKPT", "TRAP_UNK", "TRAP_PERF"};

    private SignalNames() {}

    /** "SIGSEGV", or null for 0 and numbers without a name (real-time signals are "SIGRTMIN+n"). */
    public static String signal(int signo) {
        if (signo > 0 && signo < SIGNALS.length) return SIGNALS[signo];
        if (signo >= 34 && signo <= 64) return "SIGRTMIN+" + (signo - 34);
        return null;
    }

    /** The si_code name: fault codes per signal, else the generic sources (SI_USER, SI_KERNEL…). */
    public static String code(int signo, int code) {
        String[] table = switch (signo) {
            case 11 -> SEGV;
            case 7 -> BUS;
            case 4 -> ILL;
            case 8 -> FPE;
            case 5 -> TRAP;
            default -> null;
        };
        if (table != null && code >= 1 && code <= table.length) return table[code - 1];
        return switch (code) {
            case 0 -> "SI_USER";
            case 0x80 -> "SI_KERNEL";
            case -1 -> "SI_QUEUE";
            case -2 -> "SI_TIMER";
            case -3 -> "SI_MESGQ";
            case -4 -> "SI_ASYNCIO";
            case -5 -> "SI_SIGIO";
            case -6 -> "SI_TKILL";
            default -> "code " + code;
        };
    }

    /** A few words on what the code means, for the text report. */
    public static String meaning(String code) {
        return switch (code) {
            case "SEGV_MAPERR" -> "address not mapped";
            case "SEGV_ACCERR" -> "permission denied for the mapping";
            case "BUS_ADRERR" -> "nonexistent physical address: a file page past EOF";
            case "BUS_ADRALN" -> "misaligned address";
            case "BUS_OBJERR" -> "object-specific hardware error";
            case "SI_USER" -> "sent by kill()";
            case "SI_TKILL" -> "sent by tkill()/raise()";
            case "SI_KERNEL" -> "sent by the kernel";
            default -> null;
        };
    }
}
