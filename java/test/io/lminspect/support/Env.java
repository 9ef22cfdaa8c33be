package io.lminspect.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the machine running the tests can do, probed once per JVM. A test that needs
 * something the machine may lack calls one of these first: when it is missing the test
 * is skipped (JUnit assumption) with a message naming what is missing and how to get it,
 * never an error and never a silent pass.
 */
public final class Env {
    private Env() {}

    private static final Map<String, String> PROBES = new ConcurrentHashMap<>();

    /** Runs a probe once; returns null when the capability is there, else why it is not. */
    private static String probe(String key, java.util.concurrent.Callable<String> check) {
        String why = PROBES.computeIfAbsent(key, k -> {
            try {
                String r = check.call();
                return r == null ? "" : r;
            } catch (Exception e) {
                return k + " probe failed: " + e.getMessage();
            }
        });
        return why.isEmpty() ? null : why;
    }

    private static void assume(String key, java.util.concurrent.Callable<String> check) {
        String why = probe(key, check);
        assumeTrue(why == null, () -> "SKIPPED: " + why);
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A command on PATH, from the named Debian package (scripts/setup installs it). */
    public static void assumeTool(String tool, String debianPackage) {
        assume("tool:" + tool, () -> Build.have(tool) ? null
                : tool + " is not installed: apt-get install " + debianPackage + " (scripts/setup does)");
    }

    public static void assumeRoot(String forWhat) {
        assumeTrue(isRoot(), () -> "SKIPPED: " + forWhat + " needs root (run the tests as root)");
    }

    /**
     * A 32-bit (i386) test program built and runnable. gcc-multilib builds them on any
     * x86-64 machine, but only a kernel with IA32 emulation runs them: the probe runs a
     * tiny 32-bit program once.
     */
    public static void assumeI386() {
        assume("i386", () -> {
            Path probe = Build.build().resolve("testprogs/tp_true32");
            if (!Files.exists(probe))
                return "no i386 toolchain: 32-bit test programs were not built (apt-get install gcc-multilib; scripts/setup does, then make)";
            // (on ENOEXEC Java hands the file to /bin/sh, so the failure shows as a shell error, not as the errno)
            Cli.Result r = Cli.exec(List.of(probe.toString()), 10);
            if (r.rc() == 0) return null;
            return "this kernel cannot run i386 binaries (tp_true32 did not run, exit " + r.rc()
                    + "): it lacks IA32 emulation (CONFIG_IA32_EMULATION, or ia32_emulation=0 on the kernel command line)";
        });
    }

    /** The musl test programs (musl-gcc). */
    public static void assumeMusl() {
        assume("musl", () -> Files.exists(Build.build().resolve("testprogs/tp_victim_musl")) ? null
                : "musl test programs were not built: apt-get install musl-tools (scripts/setup does), then make");
    }

    /**
     * ptrace-class access (process_vm_readv, PTRACE_SEIZE, gdb, pldd) to a process that is
     * not our descendant, as the launcher in its own JVM needs. Yama restricts it
     * (ptrace_scope 1: descendants only, unless CAP_SYS_PTRACE; 2: CAP_SYS_PTRACE only; 3: never).
     */
    public static void assumePtraceOfNonDescendants() {
        assume("ptrace", Env::ptraceRestriction);
    }

    private static String ptraceRestriction() throws java.io.IOException {
        Path scope = Path.of("/proc/sys/kernel/yama/ptrace_scope");
        if (!Files.exists(scope)) return null;
        int s = Integer.parseInt(Files.readString(scope).trim());
        if (s == 0) return null;
        if (s >= 3) return "ptrace is disabled on this machine (kernel.yama.ptrace_scope=3; only a reboot lowers it)";
        if (isRoot()) return null;
        return "ptrace of other processes is restricted (kernel.yama.ptrace_scope=" + s
                + "): run the tests as root, or sysctl kernel.yama.ptrace_scope=0";
    }

    /** gcore (from gdb), which itself needs ptrace. */
    public static void assumeGcore() {
        assumeTrue(gcoreUnavailable() == null, () -> "SKIPPED: " + gcoreUnavailable());
    }

    /** Why gcore cannot make a core here, or null (for set-up code that must not abort a whole class). */
    public static String gcoreUnavailable() {
        String tool = probe("tool:gcore", () -> Build.have("gcore") ? null : "gcore is not installed: apt-get install gdb (scripts/setup does)");
        return tool != null ? tool : probe("ptrace", Env::ptraceRestriction);
    }

    /** A second, unprivileged user to run the launcher as (setpriv to nobody). */
    public static void assumeSecondUser() {
        assumeRoot("switching to an unprivileged user");
        assumeTool("setpriv", "util-linux");
        assume("second-user", () -> {
            Cli.Result r = Cli.exec(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "true"), 10);
            return r.rc() == 0 ? null : "cannot switch to uid 65534 (nobody) here: " + r.err().strip();
        });
    }

    /** New mount and pid namespaces (unshare), which need CAP_SYS_ADMIN in this user namespace. */
    public static void assumeMountNamespaces() {
        assumeRoot("a private mount namespace");
        assumeTool("unshare", "util-linux");
        assume("mountns", () -> {
            Cli.Result r = Cli.exec(List.of("unshare", "-m", "-p", "-f", "--propagation", "private", "true"), 10);
            return r.rc() == 0 ? null : "cannot create mount/pid namespaces here (unshare: " + r.err().strip()
                    + "): needs CAP_SYS_ADMIN, e.g. a container started without --privileged";
        });
    }

    /** The kernel log (dmesg), where segfault lines appear. */
    public static void assumeKernelLog() {
        assumeTool("dmesg", "util-linux");
        assume("dmesg", () -> {
            Cli.Result r = Cli.exec(List.of("dmesg"), 30);
            return r.rc() == 0 ? null : "the kernel log is not readable here (dmesg: " + r.err().strip()
                    + "): run as root or sysctl kernel.dmesg_restrict=0";
        });
    }

    /** The kernel's core_pattern while a test needs cores written beside the crashing process. */
    public record CorePattern(String pattern, String restore) implements AutoCloseable {
        @Override
        public void close() throws java.io.IOException {
            if (restore != null) Files.writeString(CORE_PATTERN, restore + "\n");
        }
    }

    private static final Path CORE_PATTERN = Path.of("/proc/sys/kernel/core_pattern");

    /**
     * Kernel cores land as files in the crashing process's directory. When core_pattern pipes
     * them to a helper (systemd-coredump, apport) or writes them elsewhere, it is set to "core"
     * for the test and restored on close; where it cannot be set, the test is skipped.
     */
    public static CorePattern coreFilesInCwd() throws java.io.IOException {
        String pattern = Files.readString(CORE_PATTERN).trim();
        if (!pattern.startsWith("|") && !pattern.contains("/")) return new CorePattern(pattern, null);
        assumeTrue(isRoot(), () -> "SKIPPED: kernel.core_pattern is '" + pattern
                + "' (no core file beside the process) and only root can change it: sysctl kernel.core_pattern=core");
        try {
            Files.writeString(CORE_PATTERN, "core\n");
        } catch (java.io.IOException e) {
            assumeTrue(false, () -> "SKIPPED: kernel.core_pattern is '" + pattern + "' and cannot be set here ("
                    + e.getMessage() + "; /proc/sys is read-only in most containers)");
        }
        return new CorePattern("core", pattern);
    }
}
