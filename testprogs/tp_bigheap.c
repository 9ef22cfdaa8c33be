/*
 * tp_bigheap: a process with a big, touched heap, for the core benchmark.
 *
 *   tp_bigheap [MIB]
 *
 * mallocs MIB MiB (default 1024), writes every page (so a core must hold
 * them all), prints "ready PID", then waits for SIGTERM.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 1024;
    if (mib <= 0) mib = 1024;
    size_t size = (size_t)mib << 20;
    unsigned char *p = malloc(size);
    if (!p) {
        printf("malloc %ld MiB failed\n", mib);
        return 1;
    }
    for (size_t i = 0; i < size; i += 4096) p[i] = (unsigned char)(i >> 12);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("ready %d\n", getpid());
    for (;;) pause();
}
