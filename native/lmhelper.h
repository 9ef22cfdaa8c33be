/*
 * lmhelper: the few things the JVM cannot do for lminspect.
 *
 * Contracts, jattach style: every function returns 0 (or a count) on success
 * and -errno on failure; buffers are owned by the caller; nothing is parsed
 * here and nothing is written into the target. No global state.
 *
 * Only lmh_regs_snapshot() stops the target: it uses PTRACE_SEIZE +
 * PTRACE_INTERRUPT (never PTRACE_ATTACH's SIGSTOP), so if the calling process
 * dies at any point the kernel detaches and the target runs on.
 * ptrace is per-thread: the Java side calls it from one dedicated thread.
 */
#ifndef LMHELPER_H
#define LMHELPER_H

#include <stdint.h>

#define LMH_API __attribute__((visibility("default")))

/* Read n remote ranges [addrs[i], addrs[i]+lens[i]) of process pid into buf,
 * packed one after another. got[i] receives the bytes read for range i
 * (possibly short: a range that crosses into an unreadable page), or -errno.
 * use_proc_mem != 0 reads /proc/PID/mem instead of process_vm_readv.
 * Returns the number of ranges read in full, or -errno when nothing could be
 * read at all for a reason that concerns the whole process (ESRCH, EPERM). */
LMH_API int64_t lmh_read_batch(int pid, const uint64_t *addrs, const uint64_t *lens,
                               int n, uint8_t *buf, int64_t *got, int use_proc_mem);

/* Stop each of the n (<= LMH_MAX_THREADS) threads tids[] with SEIZE+INTERRUPT,
 * copy its NT_PRSTATUS register set into regs + i*stride (at most stride
 * bytes), then detach every thread that was seized (re-injecting a signal
 * that was caught in delivery). result[i] = bytes of registers copied, or
 * -errno (-ETIMEDOUT for a thread that did not stop in time, e.g. in D state).
 * All of it runs in a short-lived forked child: when the child exits the
 * kernel detaches every tracee, even one that never stopped, so no thread is
 * left seized; the child also dies with its parent (PR_SET_PDEATHSIG).
 * timeout_ms bounds the whole stop, for all threads together.
 * *pause_ns = time from the first interrupt to the last detach.
 * Returns the number of threads whose registers were read, or -errno. */
LMH_API int lmh_regs_snapshot(const int *tids, int n, uint8_t *regs, int stride,
                              int *result, int timeout_ms, int64_t *pause_ns);

/* Opens path read-only without blocking and without following a final
 * symlink, and keeps the descriptor only when fstat() says it is a regular
 * file with the given device and inode (dev/ino < 0: any). A FIFO or device
 * swapped in at the last moment is refused, never waited on.
 * Returns the descriptor (caller closes it with lmh_close) or -errno
 * (-EINVAL not a regular file, -ESTALE another inode). */
LMH_API int lmh_open_regular(const char *path, int64_t dev, int64_t ino, int follow_final_link);

/*
 * Creates path for writing, only if nothing (not even a symlink) is there
 * (O_CREAT|O_EXCL|O_NOFOLLOW), and sets its mode with fchmod through the new
 * descriptor, whatever the umask. Returns the fd, or -errno.
 */
LMH_API int lmh_create_excl(const char *path, int mode);

/*
 * If sig is ignored (SIG_IGN inherited: nohup, or `cmd &` in a shell without job
 * control), sets it back to SIG_DFL so the JVM will install its handler; returns
 * 1 when it did, 0 when the signal was not ignored, or -errno.
 */
LMH_API int lmh_unignore_signal(int sig);

LMH_API int lmh_close(int fd);

/* Wall-clock time of boot in ns: CLOCK_REALTIME - CLOCK_BOOTTIME, read back to
 * back (stable to microseconds; /proc/uptime only has 10 ms). */
LMH_API int64_t lmh_boot_epoch_ns(void);

/* File-change notification for `watch`: thin wrappers, no policy. */

/* fanotify_init(flags, event_f_flags). Returns the descriptor or -errno
 * (-EPERM without CAP_SYS_ADMIN, -EINVAL for a flag this kernel lacks). */
LMH_API int lmh_fan_init(unsigned flags, unsigned event_f_flags);

/* fanotify_mark(fd, flags, mask, AT_FDCWD, path). 0 or -errno. */
LMH_API int lmh_fan_mark(int fd, unsigned flags, uint64_t mask, const char *path);

/* inotify_init1(IN_NONBLOCK | IN_CLOEXEC): the descriptor or -errno. */
LMH_API int lmh_inotify_init(void);

/* inotify_add_watch(fd, path, mask): the watch descriptor or -errno. */
LMH_API int lmh_inotify_add(int fd, const char *path, uint32_t mask);

/* inotify_rm_watch(fd, wd): 0 or -errno. */
LMH_API int lmh_inotify_rm(int fd, int wd);

/* Waits up to timeout_ms for fd to be readable, then reads at most len bytes of
 * events into buf. Returns the bytes read, 0 when nothing came in time (or the
 * wait was interrupted), or -errno. Never blocks longer than timeout_ms. */
LMH_API int lmh_read_events(int fd, uint8_t *buf, int len, int timeout_ms);

/* The identity fanotify reports for the file at path (followed when follow != 0,
 * which opens /proc/PID/map_files links to the mapped inode): the filesystem's
 * fsid (8 bytes, as statfs gives it), then the handle type (4 bytes, native
 * order), then the handle bytes from name_to_handle_at. Returns the bytes
 * written to out, or -errno (-EOPNOTSUPP: the filesystem has no handles). */
LMH_API int lmh_file_fid(const char *path, int follow, uint8_t *out, int cap);

/*
 * stat (follow != 0) or lstat of n paths, in one call: the checks of one inspection ask
 * about every mapped file twice (by its inode through map_files, by its path). Path i is
 * the NUL-terminated string at names + offsets[i] (one buffer: cheaper to pass than n
 * strings). out[9i .. 9i+8] = errno (0 when it worked), st_dev, st_ino, st_mode,
 * st_size, mtime and ctime in ns, st_nlink (0: deleted), birth time in ns or -1 where
 * the filesystem keeps none (statx). Returns n.
 */
#define LMH_STAT_FIELDS 9
LMH_API int lmh_stat_batch(const char *names, const int32_t *offsets, int n, int follow, int64_t *out);

/*
 * The small files and links of /proc/PID an inspection opens with, in one call, each
 * opened relative to one /proc/PID directory fd. names: n NUL-terminated names one after
 * another; a name starting with '@' is a link (readlinkat of the rest), one starting with
 * '$' the identity of the file it leads to (fstatat: st_dev and st_ino, two int64). Results are
 * packed into out (cap bytes) in order; lens[i] = the bytes of result i, or -errno
 * (-ENOBUFS: it did not fit in what was left of out, so the caller reads it itself).
 * Returns 0, or -errno when /proc/PID itself cannot be opened.
 */
LMH_API int lmh_proc_files(int pid, const char *names, int n, uint8_t *out, int cap, int64_t *lens);

/* A pidfd for pid (pidfd_open, Linux >= 5.3): the process itself, whatever later reuses its
 * PID. Returns the fd (close it with lmh_close) or -errno. */
LMH_API int lmh_pidfd_open(int pid);

/* 1 when the process behind the pidfd has exited (all its threads: the pidfd polls readable),
 * 0 while it runs, -errno. */
LMH_API int lmh_pidfd_exited(int fd);

#define LMH_MAX_THREADS 4096

/* Version of this ABI, so the jar refuses a stale helper. */
LMH_API int lmh_abi_version(void);

#endif
