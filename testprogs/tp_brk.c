/*
 * The squeezed-heap incident: a heap with little room above brk. Maps one page with
 * MAP_FIXED_NOREPLACE GAP bytes above the current (page-aligned) brk, so brk
 * can grow by exactly GAP bytes. `lminspect layout PID` must measure that
 * headroom to the page and warn BRK_HEADROOM_LOW (below the 32 MiB default).
 * Usage: tp_brk [GAP_KIB] (default 384). Prints "brk ADDR", "blocker ADDR", then "ready PID".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

int main(int argc, char **argv) {
    long gap = (argc > 1 ? atol(argv[1]) : 384) * 1024;
    long page = sysconf(_SC_PAGESIZE);
    /* make the heap exist, as a real program's first malloc would (volatile: not optimized away) */
    void *volatile first = malloc(64);
    (void) first;
    unsigned long brk = ((unsigned long) sbrk(0) + page - 1) & ~(unsigned long) (page - 1);
    void *want = (void *) (brk + gap);
    void *p = mmap(want, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED || p != want) {
        perror("mmap MAP_FIXED_NOREPLACE above brk");
        return 1;
    }
    printf("brk %#lx\n", brk);
    printf("blocker %p\n", p);
    printf("ready %d\n", (int) getpid());
    fflush(stdout);
    for (;;) pause();
}
