/*
 * The qemu-nbd incident: a NULL struct member called through, like qemu-nbd's
 * bs->drv->flush(bs) with bs->drv == NULL. The segfault happens in
 * flush_device(), a named non-inlined function; the kernel logs
 * "tp_nullcall[PID]: segfault at 100 ip … error 4 in tp_nullcall[…]".
 * `lminspect decode --binary tp_nullcall` must name flush_device.
 * Prints "ready PID" first (so a test knows which line is its own), then crashes.
 */
#include <stdio.h>
#include <unistd.h>

struct block_driver {
    char name[0x100];               /* puts flush at offset 0x100, like qemu-nbd's [rdx+0x100] */
    int (*flush)(void *bs);
};

struct block_state {
    const char *filename;
    struct block_driver *drv;       /* NULL: the driver was never opened */
};

__attribute__((noinline)) int flush_device(struct block_state *bs) {
    return bs->drv->flush(bs);
}

/* Keeps the compiler from seeing that drv is NULL. */
struct block_state *volatile current_bs;

int main(void) {
    static struct block_state bs = {"disk.img", NULL};
    current_bs = &bs;
    printf("ready %d\n", (int) getpid());
    fflush(stdout);
    return flush_device(current_bs);
}
