/*
 * tp_prestart: a process caught before its dynamic linker has run.
 *
 *   tp_prestart PROGRAM [ARG...]
 *
 * Forks; the child asks to be traced and execs PROGRAM, so the kernel stops it
 * at the exec, before ld.so has filled DT_DEBUG or r_map. Prints "ready CHILD"
 * and keeps it stopped until SIGTERM/SIGINT, then kills it. lminspect must give
 * a clear answer for such a process (no link_map yet), not a crash.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) { fprintf(stderr, "usage: tp_prestart PROGRAM [ARG...]\n"); return 2; }
    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execv(argv[1], argv + 1);
        _exit(127);
    }
    int st;
    if (waitpid(child, &st, 0) != child || !WIFSTOPPED(st)) { fprintf(stderr, "child did not stop at exec\n"); return 1; }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    printf("ready %d\n", child);
    int sig;
    sigwait(&set, &sig);
    kill(child, SIGKILL);
    return 0;
}
