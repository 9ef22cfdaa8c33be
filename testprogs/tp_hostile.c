/*
 * tp_hostile: damages its own link_map chain, then waits for inspection.
 *
 *   tp_hostile loop      the last entry's l_next points back at the first
 *   tp_hostile wild      the last entry's l_next points to unmapped memory
 *   tp_hostile longname  an entry's l_name is 1 MiB of terminal escapes, no NUL
 *   tp_hostile prev      an entry's l_prev disagrees with the chain
 *   tp_hostile huge      15 more r_debug namespaces chained to the real one (r_version 2,
 *                        r_next), 4,096 entries each, every l_name an unterminated
 *                        8 KiB: a walk without budgets takes a minute and a gigabyte
 *   tp_hostile manymaps  65,000 mappings of one file under a 4,000-byte path: a
 *                        /proc/PID/maps of ~270 MB
 *   tp_hostile sonametop libc's DT_SONAME d_val gets its top bit set (an unsigned
 *                        value, not "absent"): on SIGUSR1 it dlopens a name nothing
 *                        matches, and ld.so's strcmp on the soname pointer crashes
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
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdint.h>

struct rdx { struct r_debug base; struct rdx *r_next; }; /* glibc >= 2.35's r_debug_extended */

static void huge(struct link_map *first) {
    size_t name_len = 8192, entries = 4096, entry_size = 0x480;
    char *name = mmap(NULL, name_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(name, 'A', name_len); /* no NUL anywhere */
    struct link_map *real = first;
    while (real->l_next) real = real->l_next;
    /* ld.so's own r_debug (DT_DEBUG): the executable's _r_debug may be a copy-relocated 40 bytes */
    struct rdx *prev = NULL;
    for (ElfW(Dyn) *d = _DYNAMIC; d->d_tag != DT_NULL; d++) if (d->d_tag == DT_DEBUG) prev = (struct rdx *) d->d_un.d_ptr;
    if (!prev) { fprintf(stderr, "huge: no DT_DEBUG\n"); exit(2); }
    prev->base.r_version = 2;
    for (int ns = 1; ns < 16; ns++) {
        struct rdx *r = calloc(1, sizeof *r);
        char *block = mmap(NULL, entries * entry_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        for (size_t i = 0; i < entries; i++) {
            struct link_map *e = (struct link_map *) (block + i * entry_size);
            e->l_addr = real->l_addr;
            e->l_ld = real->l_ld;
            e->l_name = name;
            e->l_next = i + 1 < entries ? (struct link_map *) (block + (i + 1) * entry_size) : NULL;
            e->l_prev = i > 0 ? (struct link_map *) (block + (i - 1) * entry_size) : NULL;
        }
        r->base.r_version = 2;
        r->base.r_map = (struct link_map *) block;
        r->base.r_state = RT_CONSISTENT;
        prev->r_next = r;
        prev = r;
    }
}

static void manymaps(void) {
    char dir[4096] = "/tmp/lmi-manymaps";
    mkdir(dir, 0700);
    size_t len = strlen(dir);
    while (len < 3900) { strcat(dir, "/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"); len = strlen(dir); mkdir(dir, 0700); }
    strcat(dir, "/f");
    int fd = open(dir, O_RDWR | O_CREAT, 0600);
    if (fd < 0 || ftruncate(fd, 4096) != 0) { perror("manymaps"); exit(2); }
    /* alternate protections so the kernel cannot merge neighbours into one mapping */
    char *base = mmap(NULL, 65000UL * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (unsigned long i = 0; i < 65000; i++)
        mmap(base + i * 4096, 4096, (i & 1) ? PROT_READ : PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
}

static volatile sig_atomic_t go;
static void on_usr1(int sig) { (void) sig; go = 1; }

/* Sets the top bit of the DT_SONAME entry of l's dynamic array (which l_info[DT_SONAME] points at). */
static int soname_top_bit(struct link_map *l) {
    for (ElfW(Dyn) *d = l->l_ld; d && d->d_tag != DT_NULL; d++) {
        if (d->d_tag != DT_SONAME) continue;
        long pg = sysconf(_SC_PAGESIZE);
        uintptr_t page = (uintptr_t) d & ~(uintptr_t) (pg - 1);
        if (mprotect((void *) page, (size_t) pg * 2, PROT_READ | PROT_WRITE) != 0) return -1;
        d->d_un.d_val |= (ElfW(Xword)) 1 << (sizeof(ElfW(Xword)) * 8 - 1);
        return 0;
    }
    return -1;
}

extern struct r_debug _r_debug;
extern ElfW(Dyn) _DYNAMIC[];

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
    } else if (strcmp(argv[1], "huge") == 0) {
        huge(first);
    } else if (strcmp(argv[1], "manymaps") == 0) {
        manymaps();
    } else if (strcmp(argv[1], "sonametop") == 0) {
        struct link_map *libc = NULL;
        for (struct link_map *m = first; m; m = m->l_next) if (strstr(m->l_name, "libc.so")) libc = m;
        if (!libc || soname_top_bit(libc) != 0) { perror("sonametop"); return 2; }
        signal(SIGUSR1, on_usr1);
        printf("ready %d\n", getpid());
        while (!go) pause();
        dlopen("liblmi-not-loaded.so.9", RTLD_NOW);
        printf("survived\n");
        return 0;
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
    }
    printf("ready %d\n", getpid());
    for (;;) pause();
}
