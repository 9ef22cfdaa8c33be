/*
 * tp_sleeper: does nothing but wait; built static and static-pie, where there is
 * no dynamic linker and no link_map: lminspect must say so plainly.
 */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("ready %d\n", getpid());
    for (;;) pause();
}
