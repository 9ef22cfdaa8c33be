/*
 * tp_execloop: replaces its own program every 2 ms (execv of itself), so the PID
 * stays while the image changes under any reader: auxv, maps and memory read a
 * moment apart may belong to different images. Prints "ready PID" once.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "again") != 0) {
        printf("ready %d\n", getpid());
        fflush(stdout);
    }
    usleep(2000);
    char *again[] = {argv[0], "again", NULL};
    execv("/proc/self/exe", again);
    perror("execv");
    return 1;
}
