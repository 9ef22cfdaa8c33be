/*
 * tp_mapfile: the truncated-mmap incident's httpd worker in miniature, and a memfd user.
 *
 *   tp_mapfile shared FILE   maps FILE MAP_SHARED read/write and reads it
 *   tp_mapfile private FILE  maps FILE MAP_PRIVATE read-only and reads it
 *   tp_mapfile memfd         maps an anonymous memfd (never a finding)
 *
 * Prints "ready PID" and waits; on SIGUSR1 reads every mapped page again and
 * prints "read ok" (a page past EOF raises SIGBUS instead). SIGTERM ends it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile unsigned char *map;
static size_t len;

static unsigned touch(void) {
    unsigned sum = 0;
    for (size_t i = 0; i < len; i += 4096) sum += map[i];
    return sum;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) { fprintf(stderr, "usage: tp_mapfile shared|private FILE | memfd\n"); return 2; }
    int fd;
    int shared = strcmp(argv[1], "private") != 0;
    if (strcmp(argv[1], "memfd") == 0) {
        fd = memfd_create("tp_mapfile", 0);
        if (fd < 0 || ftruncate(fd, 3 * 4096) != 0) { perror("memfd"); return 1; }
    } else {
        if (argc < 3) return 2;
        fd = open(argv[2], shared ? O_RDWR : O_RDONLY);
        if (fd < 0) { perror(argv[2]); return 1; }
    }
    struct stat st;
    fstat(fd, &st);
    len = st.st_size > 0 ? (size_t) st.st_size : 4096;
    map = mmap(NULL, len, shared ? PROT_READ | PROT_WRITE : PROT_READ, shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) { perror("mmap"); return 1; }
    touch();
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    printf("ready %d\n", getpid());
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0) continue;
        if (sig == SIGTERM) return 0;
        printf("read ok %u\n", touch());
    }
}
