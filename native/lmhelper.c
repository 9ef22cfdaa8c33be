/* lmhelper.c: see lmhelper.h for every contract. */
#define _GNU_SOURCE
#include "lmhelper.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <elf.h>

#ifndef PTRACE_SEIZE
#define PTRACE_SEIZE 0x4206
#endif
#ifndef PTRACE_INTERRUPT
#define PTRACE_INTERRUPT 0x4207
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

#define BATCH_IOV 1024 /* IOV_MAX on Linux */

int lmh_abi_version(void) { return 1; }

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* /proc/PID/mem: the fallback for kernels without process_vm_readv. */
static int64_t read_proc_mem(int pid, const uint64_t *addrs, const uint64_t *lens,
                             int n, uint8_t *buf, int64_t *got) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    int64_t full = 0;
    uint64_t off = 0;
    for (int i = 0; i < n; i++) {
        uint64_t done = 0;
        while (done < lens[i]) {
            ssize_t r = pread(fd, buf + off + done, lens[i] - done, (off_t) (addrs[i] + done));
            if (r <= 0) break;
            done += (uint64_t) r;
        }
        got[i] = done > 0 || lens[i] == 0 ? (int64_t) done : -EIO;
        if (done == lens[i]) full++;
        off += lens[i];
    }
    close(fd);
    return full;
}

int64_t lmh_read_batch(int pid, const uint64_t *addrs, const uint64_t *lens,
                       int n, uint8_t *buf, int64_t *got, int use_proc_mem) {
    if (n < 0) return -EINVAL;
    if (use_proc_mem) return read_proc_mem(pid, addrs, lens, n, buf, got);

    struct iovec local[BATCH_IOV], remote[BATCH_IOV];
    uint64_t off = 0;
    int64_t full = 0;
    int i = 0;
    /* process_vm_readv stops at the first remote range it cannot read in
     * full, so after a short read we restart right after that range. */
    while (i < n) {
        int k = 0;
        uint64_t o = off;
        for (; k < BATCH_IOV && i + k < n; k++) {
            local[k].iov_base = buf + o;
            local[k].iov_len = lens[i + k];
            remote[k].iov_base = (void *) (uintptr_t) addrs[i + k];
            remote[k].iov_len = lens[i + k];
            o += lens[i + k];
        }
        ssize_t r = process_vm_readv(pid, local, (unsigned long) k, remote, (unsigned long) k, 0);
        if (r < 0) {
            int e = errno;
            if (e == ESRCH || e == EPERM || e == ENOSYS) {
                if (i == 0) return -e;  /* whole-process failure */
            }
            /* the first range itself is unreadable */
            got[i] = -e;
            off += lens[i];
            i++;
            continue;
        }
        uint64_t left = (uint64_t) r;
        int j = 0;
        for (; j < k && left >= lens[i + j]; j++) {
            got[i + j] = (int64_t) lens[i + j];
            left -= lens[i + j];
            off += lens[i + j];
            full++;
        }
        if (j < k) {            /* range i+j was cut short */
            got[i + j] = left > 0 ? (int64_t) left : -EFAULT;
            off += lens[i + j];
            j++;
        }
        i += j;
    }
    return full;
}

/* Wait for a seized thread to report its stop; returns the signal to
 * re-inject on detach (0 for an interrupt or group stop), or -errno. */
static int wait_stopped(int tid, int timeout_ms) {
    int64_t deadline = now_ns() + (int64_t) timeout_ms * 1000000LL;
    for (;;) {
        int st = 0;
        pid_t w = waitpid(tid, &st, __WALL | WNOHANG);
        if (w == tid) {
            if (WIFEXITED(st) || WIFSIGNALED(st)) return -ESRCH;
            if (WIFSTOPPED(st)) {
                int event = st >> 16;
                if (event == PTRACE_EVENT_STOP) return 0;
                if (event != 0) return 0;       /* another ptrace event: nothing to re-inject */
                return WSTOPSIG(st);            /* signal-delivery stop: give it back on detach */
            }
        } else if (w < 0) {
            return -errno;
        }
        if (now_ns() > deadline) return -ETIMEDOUT;
        struct timespec ts = {0, 20000};        /* 20 us */
        nanosleep(&ts, NULL);
    }
}

int lmh_regs_snapshot(const int *tids, int n, uint8_t *regs, int stride,
                      int *result, int timeout_ms, int64_t *pause_ns) {
    if (n < 0 || stride <= 0) return -EINVAL;
    int seized[n > 0 ? n : 1];
    int inject[n > 0 ? n : 1];
    int64_t start = now_ns();
    for (int i = 0; i < n; i++) {
        seized[i] = 0;
        inject[i] = 0;
        if (ptrace(PTRACE_SEIZE, tids[i], 0, 0) != 0) { result[i] = -errno; continue; }
        seized[i] = 1;
        if (ptrace(PTRACE_INTERRUPT, tids[i], 0, 0) != 0) result[i] = -errno;
        else result[i] = 0;
    }
    int ok = 0;
    for (int i = 0; i < n; i++) {
        if (!seized[i] || result[i] < 0) continue;
        int s = wait_stopped(tids[i], timeout_ms);
        if (s < 0) { result[i] = s; continue; }
        inject[i] = s;
        struct iovec io = { regs + (size_t) i * stride, (size_t) stride };
        if (ptrace(PTRACE_GETREGSET, tids[i], (void *) NT_PRSTATUS, &io) != 0) {
            result[i] = -errno;
        } else {
            result[i] = (int) io.iov_len;
            ok++;
        }
    }
    for (int i = 0; i < n; i++) {
        if (seized[i]) ptrace(PTRACE_DETACH, tids[i], 0, (void *) (intptr_t) inject[i]);
    }
    if (pause_ns) *pause_ns = now_ns() - start;
    return ok;
}
