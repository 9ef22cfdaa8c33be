/*
 * tp_uffd: a page nobody will ever serve. An anonymous page is registered with
 * userfaultfd (missing mode) and no thread reads the uffd; the first library's
 * l_name is pointed into it. Any access to the page, including another process's
 * process_vm_readv, blocks as it would on a hung FUSE or NFS mapping.
 *
 * lminspect must report the stuck read (INSPECTION_CUT) within its deadline and
 * never hang. Needs root or vm.unprivileged_userfaultfd=1 (prints "unsupported"
 * and exits 3 otherwise).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <linux/userfaultfd.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

extern struct r_debug _r_debug;

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    int uffd = (int) syscall(SYS_userfaultfd, O_CLOEXEC);
    if (uffd < 0) { printf("unsupported userfaultfd: %s\n", strerror(errno)); return 3; }
    struct uffdio_api api = {.api = UFFD_API};
    if (ioctl(uffd, UFFDIO_API, &api) != 0) { printf("unsupported UFFDIO_API\n"); return 3; }
    long pg = sysconf(_SC_PAGESIZE);
    char *page = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct uffdio_register reg = {.range = {.start = (unsigned long) page, .len = pg}, .mode = UFFDIO_REGISTER_MODE_MISSING};
    if (ioctl(uffd, UFFDIO_REGISTER, &reg) != 0) { printf("unsupported UFFDIO_REGISTER\n"); return 3; }
    struct link_map *first = _r_debug.r_map;
    first->l_next->l_name = page; /* the vDSO or first library: its name is never served */
    printf("ready %d\n", getpid());
    printf("page %p\n", (void *) page);
    for (;;) pause();
}
