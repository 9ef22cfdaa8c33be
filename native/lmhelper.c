/* lmhelper.c: see lmhelper.h for every contract. */
#define _GNU_SOURCE
#include "lmhelper.h"

#include <errno.h>
#include <stdint.h>
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
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/statfs.h>
#include <poll.h>
#include <sys/syscall.h>

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

int lmh_abi_version(void) { return 8; }

int lmh_open_regular(const char *path, int64_t dev, int64_t ino, int follow_final_link) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (follow_final_link ? 0 : O_NOFOLLOW));
    if (fd < 0) return -errno;
    struct stat st;
    if (fstat(fd, &st) != 0) { int e = errno; close(fd); return -e; }
    if (!S_ISREG(st.st_mode)) { close(fd); return -EINVAL; }
    if ((dev >= 0 && (int64_t) st.st_dev != dev) || (ino >= 0 && (int64_t) st.st_ino != ino)) { close(fd); return -ESTALE; }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

int lmh_create_excl(const char *path, int mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) return -errno;
    /* the mode through the descriptor that created the file: never again by name */
    if (fchmod(fd, (mode_t) mode) != 0) { int e = errno; close(fd); return -e; }
    return fd;
}

int lmh_close(int fd) { return close(fd) == 0 ? 0 : -errno; }

int lmh_unignore_signal(int sig) {
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0) return -errno;
    if (old.sa_handler != SIG_IGN) return 0;
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    return sigaction(sig, &dfl, NULL) == 0 ? 1 : -errno;
}

static int64_t ns_of(const struct timespec *t) {
    return (int64_t) t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* CLOCK_REALTIME - CLOCK_BOOTTIME. A thread preempted between two clock reads would put the
 * preemption (milliseconds on a busy host) into the difference, and date one process of a scan
 * differently from its siblings: boottime is read between two realtime reads, and the tightest
 * of a few tries is kept (its midpoint). */
int64_t lmh_boot_epoch_ns(void) {
    int64_t best = 0, width = INT64_MAX;
    for (int i = 0; i < 4 && width > 20000; i++) {
        struct timespec r1, b, r2;
        clock_gettime(CLOCK_REALTIME, &r1);
        clock_gettime(CLOCK_BOOTTIME, &b);
        clock_gettime(CLOCK_REALTIME, &r2);
        int64_t w = ns_of(&r2) - ns_of(&r1);
        if (i == 0 || (w >= 0 && w < width)) {
            width = w;
            best = ns_of(&r1) + w / 2 - ns_of(&b);
        }
    }
    return best;
}

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
static int wait_stopped(int tid, int64_t deadline) {
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

/* The snapshot itself, run in the forked child: only system calls, no locks. */
static int snapshot_child(const int *tids, int n, uint8_t *regs, int stride, int *result, int timeout_ms, int64_t *pause_ns) {
    int seized[LMH_MAX_THREADS];
    int inject[LMH_MAX_THREADS];
    int64_t start = now_ns();
    int64_t deadline = start + (int64_t) timeout_ms * 1000000LL;   /* one deadline for every thread */
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
        int s = wait_stopped(tids[i], deadline);
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
    *pause_ns = now_ns() - start;
    return ok;
}

int lmh_regs_snapshot(const int *tids, int n, uint8_t *regs, int stride,
                      int *result, int timeout_ms, int64_t *pause_ns) {
    if (n < 0 || n > LMH_MAX_THREADS || stride <= 0 || stride > 4096) return -EINVAL;
    /* shared with the child: registers, results, pause, count */
    size_t size = (size_t) n * stride + (size_t) n * sizeof(int) + 2 * sizeof(int64_t);
    uint8_t *shm = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shm == MAP_FAILED) return -errno;
    uint8_t *sregs = shm;
    int *sresult = (int *) (shm + (size_t) n * stride);
    int64_t *spause = (int64_t *) (shm + (size_t) n * stride + (size_t) n * sizeof(int));
    int64_t *sok = spause + 1;
    *sok = -ETIMEDOUT;
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) { int e = errno; munmap(shm, size); return -e; }
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(1);
        *sok = snapshot_child(tids, n, sregs, stride, sresult, timeout_ms, spause);
        _exit(0);   /* exiting detaches any tracee still attached */
    }
    /* the child gets its own deadline plus slack; past it, it is killed (which detaches) */
    int64_t deadline = now_ns() + (int64_t) (timeout_ms + 200) * 1000000LL;
    int st;
    for (;;) {
        pid_t w = waitpid(child, &st, WNOHANG);
        if (w == child || (w < 0 && errno != EINTR)) break;
        if (now_ns() > deadline) { kill(child, SIGKILL); waitpid(child, &st, 0); break; }
        struct timespec ts = {0, 50000};
        nanosleep(&ts, NULL);
    }
    int64_t ok = *sok;
    if (ok >= 0) {
        memcpy(regs, sregs, (size_t) n * stride);
        memcpy(result, sresult, (size_t) n * sizeof(int));
        if (pause_ns) *pause_ns = *spause;
    }
    munmap(shm, size);
    return (int) ok;
}

int lmh_fan_init(unsigned flags, unsigned event_f_flags) {
    int fd = fanotify_init(flags, event_f_flags);
    return fd < 0 ? -errno : fd;
}

int lmh_fan_mark(int fd, unsigned flags, uint64_t mask, const char *path) {
    return fanotify_mark(fd, flags, mask, AT_FDCWD, path) == 0 ? 0 : -errno;
}

int lmh_inotify_init(void) {
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int lmh_inotify_add(int fd, const char *path, uint32_t mask) {
    int wd = inotify_add_watch(fd, path, mask);
    return wd < 0 ? -errno : wd;
}

int lmh_inotify_rm(int fd, int wd) {
    return inotify_rm_watch(fd, wd) == 0 ? 0 : -errno;
}

int lmh_read_events(int fd, uint8_t *buf, int len, int timeout_ms) {
    if (len <= 0) return -EINVAL;
    struct pollfd p = { fd, POLLIN, 0 };
    int r = poll(&p, 1, timeout_ms);
    if (r < 0) return errno == EINTR ? 0 : -errno;
    if (r == 0) return 0;
    ssize_t n = read(fd, buf, (size_t) len);
    if (n < 0) return errno == EAGAIN || errno == EINTR ? 0 : -errno;
    return (int) n;
}

int lmh_file_fid(const char *path, int follow, uint8_t *out, int cap) {
    union { struct file_handle fh; char space[sizeof(struct file_handle) + MAX_HANDLE_SZ]; } h;
    h.fh.handle_bytes = MAX_HANDLE_SZ;
    int mount_id;
    if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, follow ? AT_SYMLINK_FOLLOW : 0) != 0) return -errno;
    struct statfs sf;
    if (statfs(path, &sf) != 0) return -errno;
    int need = 8 + 4 + (int) h.fh.handle_bytes;
    if (cap < need) return -ENOSPC;
    memcpy(out, &sf.f_fsid, 8);
    memcpy(out + 8, &h.fh.handle_type, 4);
    memcpy(out + 12, h.fh.f_handle, h.fh.handle_bytes);
    return need;
}

int lmh_stat_batch(const char *names, const int32_t *offsets, int n, int follow, int64_t *out) {
    for (int i = 0; i < n; i++) {
        struct statx st;
        int64_t *o = out + LMH_STAT_FIELDS * (int64_t) i;
        const char *path = names + offsets[i];
        unsigned mask = STATX_BASIC_STATS | STATX_BTIME;
        if (statx(AT_FDCWD, path, follow ? 0 : AT_SYMLINK_NOFOLLOW, mask, &st) != 0) {
            o[0] = errno;
            for (int k = 1; k < LMH_STAT_FIELDS; k++) o[k] = 0;
            continue;
        }
        o[0] = 0;
        o[1] = (int64_t) makedev(st.stx_dev_major, st.stx_dev_minor);
        o[2] = (int64_t) st.stx_ino;
        o[3] = (int64_t) st.stx_mode;
        o[4] = (int64_t) st.stx_size;
        o[5] = (int64_t) st.stx_mtime.tv_sec * 1000000000LL + st.stx_mtime.tv_nsec;
        o[6] = (int64_t) st.stx_ctime.tv_sec * 1000000000LL + st.stx_ctime.tv_nsec;
        o[7] = (int64_t) st.stx_nlink;
        /* not every filesystem records a birth time: -1 says so */
        o[8] = (st.stx_mask & STATX_BTIME) ? (int64_t) st.stx_btime.tv_sec * 1000000000LL + st.stx_btime.tv_nsec : -1;
    }
    return n;
}

int lmh_proc_files(int pid, const char *names, int n, uint8_t *out, int cap, int64_t *lens) {
    char dir[32];
    snprintf(dir, sizeof dir, "/proc/%d", pid);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return -errno;
    const char *name = names;
    int off = 0;
    for (int i = 0; i < n; i++, name += strlen(name) + 1) {
        int room = cap - off;
        if (name[0] == '@') {
            ssize_t r = room > 0 ? readlinkat(dfd, name + 1, (char *) out + off, (size_t) room) : 0;
            if (r < 0) lens[i] = -errno;
            else if (r >= room) lens[i] = -ENOBUFS;  /* may have been cut */
            else { lens[i] = r; off += (int) r; }
            continue;
        }
        if (name[0] == '$') {
            struct stat st;
            if (room < 16) lens[i] = -ENOBUFS;
            else if (fstatat(dfd, name + 1, &st, 0) < 0) lens[i] = -errno;
            else {
                int64_t id[2] = {(int64_t) st.st_dev, (int64_t) st.st_ino};
                memcpy(out + off, id, sizeof id);
                lens[i] = 16;
                off += 16;
            }
            continue;
        }
        int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) { lens[i] = -errno; continue; }
        ssize_t got = 0, r = 0;
        while (got < room) {
            r = read(fd, out + off + got, (size_t) (room - got));
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            got += r;
        }
        if (r < 0) {
            lens[i] = -errno;
        } else if (got == room) {
            /* full: one more byte tells whether there was more */
            char c;
            ssize_t more;
            do more = read(fd, &c, 1); while (more < 0 && errno == EINTR);
            if (more != 0) lens[i] = -ENOBUFS;
            else { lens[i] = got; off += (int) got; }
        } else {
            lens[i] = got;
            off += (int) got;
        }
        close(fd);
    }
    close(dfd);
    return 0;
}

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int lmh_pidfd_open(int pid) {
    long fd = syscall(SYS_pidfd_open, pid, 0);
    return fd < 0 ? -errno : (int) fd;
}

int lmh_pidfd_exited(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int r;
    do r = poll(&p, 1, 0); while (r < 0 && errno == EINTR);
    if (r < 0) return -errno;
    if (r > 0 && (p.revents & POLLNVAL)) return -EBADF;
    return r > 0 && (p.revents & (POLLIN | POLLHUP)) ? 1 : 0;
}
