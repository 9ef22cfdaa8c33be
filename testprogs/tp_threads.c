/*
 * attach --regs: a process with 20 threads (main + 19), all blocked in
 * different ways (sleeping, waiting on a condition, spinning briefly), so a
 * register snapshot must stop, read and release every one of them.
 * Answers SIGUSR1 by printing "pong N", which tells a test it still runs
 * after lminspect detached (or was killed mid-snapshot).
 * Prints "ready PID" once all threads exist.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define THREADS 19

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static volatile sig_atomic_t pings;

static void *worker(void *arg) {
    long i = (long) arg;
    if (i % 3 == 0) {
        pthread_mutex_lock(&lock);
        for (;;) pthread_cond_wait(&never, &lock);
    }
    for (;;) {
        if (i % 3 == 1) {
            sleep(1);
        } else {
            volatile unsigned long spin = 0;
            for (unsigned long k = 0; k < 2000000; k++) spin += k;
            usleep(20000);
        }
    }
    return NULL;
}

static void on_usr1(int sig) {
    (void) sig;
    pings++;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    /* workers must not take SIGUSR1: the main loop reports it */
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *) i);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    printf("ready %d\n", (int) getpid());
    fflush(stdout);
    int seen = 0;
    for (;;) {
        pause();
        while (seen < pings) {
            seen++;
            printf("pong %d\n", seen);
            fflush(stdout);
        }
    }
}
