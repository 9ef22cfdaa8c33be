/*
 * tp_dstate: threads in uninterruptible sleep, as during an NFS hang.
 *
 *   tp_dstate THREADS SECONDS
 *
 * Each thread vforks a child that sleeps SECONDS: the parent thread waits in
 * vfork, in D state, where PTRACE_INTERRUPT cannot stop it. Prints "ready PID".
 * `attach --regs` must not keep the other threads stopped while it waits for
 * these, and must leave no thread seized.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int secs;

static void *vforker(void *arg) {
    (void) arg;
    pid_t p = vfork();
    if (p == 0) {
        struct timespec ts = {secs, 0};
        syscall(SYS_nanosleep, &ts, NULL);
        syscall(SYS_exit, 0);
    }
    for (;;) pause();
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 3) { fprintf(stderr, "usage: tp_dstate THREADS SECONDS\n"); return 2; }
    int n = atoi(argv[1]);
    secs = atoi(argv[2]);
    pthread_t th;
    for (int i = 0; i < n; i++) pthread_create(&th, NULL, vforker, NULL);
    usleep(200000);
    printf("ready %d\n", getpid());
    for (;;) pause();
}
