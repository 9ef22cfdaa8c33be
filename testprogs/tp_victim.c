/*
 * tp_victim: the overwritten-library incident's php-fpm master in miniature.
 *
 *   tp_victim [--next LIB] LIB...
 *
 * dlopens every LIB (RTLD_NOW), prints "ready PID", then waits. On SIGUSR1 it
 * dlopens the --next library (default libm.so.6): ld.so walks the link_map
 * chain comparing sonames, which crashes in strcmp when a loaded library's
 * .dynamic was reverted by a `cp` over it (what lminspect must predict).
 * Prints "dlopen NEXT ok" or "dlopen NEXT failed: ERROR" after each attempt.
 * On SIGUSR2 (glibc builds) it computes the last library's soname pointer as
 * ld.so does and spins with it in rsi/esi, the register strcmp would fault on:
 * what `attach --regs` must call out. On SIGWINCH it calls the last library's
 * libv_get (looked up when it was loaded): code run from a file overwritten since.
 * SIGHUP forks a worker (a pre-forking server's), which prints "worker PID" and
 * behaves the same. SIGTERM ends it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <link.h>

extern struct r_debug _r_debug;

/* D_PTR(l, l_info[DT_STRTAB]) + l_info[DT_SONAME]->d_val, with glibc's l_info at 8 words (docs/design.md) */
static void hold_soname_pointer(void) {
    struct link_map *l = _r_debug.r_map;
    while (l->l_next) l = l->l_next;
    ElfW(Dyn) **info = (ElfW(Dyn) **) ((char *) l + 8 * sizeof(void *));
    const char *p = (const char *) (info[DT_STRTAB]->d_un.d_ptr + info[DT_SONAME]->d_un.d_val);
    printf("holding %p\n", (const void *) p);
    fflush(stdout);
    __asm__ volatile("1: pause\n\tjmp 1b" : : "S"(p));
}
#endif

int main(int argc, char **argv) {
    const char *next = "libm.so.6";
    setvbuf(stdout, NULL, _IOLBF, 0);
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--next") == 0) { next = argv[2]; first = 3; }
    int (*get)(int) = NULL;
    for (int i = first; i < argc; i++) {
        void *h = dlopen(argv[i], RTLD_NOW | RTLD_GLOBAL);
        if (!h) {
            printf("dlopen %s failed: %s\n", argv[i], dlerror());
            return 1;
        }
        *(void **) &get = dlsym(h, "libv_get");
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGWINCH);
    sigprocmask(SIG_BLOCK, &set, NULL);
    printf("ready %d\n", getpid());
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0) continue;
        if (sig == SIGTERM) return 0;
        if (sig == SIGWINCH) {
            if (get) printf("libv_get %d\n", get(3));
            continue;
        }
        if (sig == SIGHUP) {
            /* a pre-forking server's new worker: it inherits the mappings as they are now */
            pid_t child = fork();
            if (child == 0) printf("worker %d\n", getpid());
            continue;
        }
#ifdef __GLIBC__
        if (sig == SIGUSR2) hold_soname_pointer();
#endif
        void *h = dlopen(next, RTLD_NOW);
        if (h) printf("dlopen %s ok\n", next);
        else printf("dlopen %s failed: %s\n", next, dlerror());
    }
}
