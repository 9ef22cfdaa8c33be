/*
 * tp_hostile: damages its own link_map chain, then waits for inspection.
 *
 *   tp_hostile loop      the last entry's l_next points back at the first
 *   tp_hostile wild      the last entry's l_next points to unmapped memory
 *   tp_hostile longname  an entry's l_name is 1 MiB of terminal escapes, no NUL
 *   tp_hostile prev      an entry's l_prev disagrees with the chain
 *
 * lminspect must answer in seconds with LINK_CHAIN_BROKEN and never print a raw
 * control byte. pldd loops forever on "loop". Kill it with SIGKILL: its own
 * exit would walk the broken chain.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

extern struct r_debug _r_debug;

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) { fprintf(stderr, "usage: tp_hostile loop|wild|longname|prev\n"); return 2; }
    struct link_map *first = _r_debug.r_map, *last = first;
    while (last->l_next) last = last->l_next;
    if (strcmp(argv[1], "loop") == 0) {
        last->l_next = first;
    } else if (strcmp(argv[1], "wild") == 0) {
        last->l_next = (struct link_map *) 0xdead0000000ULL;
    } else if (strcmp(argv[1], "longname") == 0) {
        size_t n = 1 << 20;
        char *name = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        const char pat[] = "\x1b[2J\x1b]0;pwned\x07\r\n";
        for (size_t i = 0; i < n; i++) name[i] = pat[i % (sizeof pat - 1)];
        first->l_next->l_name = name;   /* the vDSO or first library */
    } else if (strcmp(argv[1], "prev") == 0) {
        last->l_prev = last;
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
    }
    printf("ready %d\n", getpid());
    for (;;) pause();
}
