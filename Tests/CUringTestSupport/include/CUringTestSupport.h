#ifndef CURING_TEST_SUPPORT_H
#define CURING_TEST_SUPPORT_H

/*
 * Plain-syscall helpers the tests use to check what io_uring did, for calls
 * the Swift Glibc module does not export, and a per-thread allocation counter.
 */

#include <stddef.h>
#include <stdint.h>

/* eventfd(2); the descriptor or -errno. */
int cts_eventfd(unsigned int initial, int nonblocking);
/* epoll_create1(EPOLL_CLOEXEC); the descriptor or -errno. */
int cts_epoll_create(void);
/* epoll_ctl(2) ADD with `events`, data = `data`; 0 or -errno. */
int cts_epoll_add(int epfd, int fd, uint32_t events, uint64_t data);
/* epoll_wait(2) for one event with a timeout; the count or -errno; fills events/data. */
int cts_epoll_wait_one(int epfd, int timeout_ms, uint32_t *events, uint64_t *data);
/* fsetxattr(2) / fgetxattr(2); the result or -errno. */
long cts_fsetxattr(int fd, const char *name, const void *value, size_t size);
long cts_fgetxattr(int fd, const char *name, void *value, size_t size);
/* A child process that exits at once with `code`; its pid or -errno. */
int cts_spawn_exiting_child(int code);
/* clock_gettime(CLOCK_BOOTTIME or CLOCK_REALTIME) in nanoseconds. */
int64_t cts_boottime_ns(void);
int64_t cts_realtime_ns(void);

/* Whether the malloc family is counted (not under a sanitizer, which interposes it). */
int cts_allocation_counting_available(void);
/* Heap allocations made by the calling thread while counting is on. */
void cts_count_allocations(int enabled);
long cts_allocation_count(void);

/* Attaches `backing_fd` to a free loop device (LOOP_CTL_GET_FREE, LOOP_SET_FD)
 * and opens it read-write; the loop descriptor or -errno. */
int cts_loop_attach(int backing_fd);
/* Detaches the loop device (LOOP_CLR_FD) and closes `loop_fd`. */
void cts_loop_detach(int loop_fd);

/* Runs this executable again with `filter` as its swift-testing filter and
 * the environment variable `marker` set to `marker_value`; with `block_io_uring`, io_uring_setup(2)
 * fails with EPERM under a seccomp filter, as in a locked-down container; with
 * `file_size_limit` above 0, RLIMIT_FSIZE is that many bytes and SIGXFSZ is
 * ignored, so oversized writes fail with EFBIG; with `user` above 0, the child
 * runs as that user and group (from root), so permission bits bind it. The
 * child's exit status, or -errno when it could not be started. */
int cts_run_self(const char *filter, const char *marker, const char *marker_value, int block_io_uring,
                 long file_size_limit, int user);

/* Unblocks SIGALRM in the calling thread and sends it (with a no-op handler, no SA_RESTART) every
 * `interval_us` microseconds from a helper thread, until cts_signal_storm_stop. */
void *cts_signal_storm_start(long interval_us);
/* Stops the storm, restores the signal mask, and returns how many signals it sent. */
long cts_signal_storm_stop(void *storm);

/* fork(2) for a test: the child's pid in the parent, 0 in the child. */
int cts_fork(void);
/* Waits for `pid`; its exit status, or 128 + the signal that ended it. */
int cts_wait_exit(int pid);
/* Ends the calling (child) process at once with `code`. */
__attribute__((noreturn)) void cts_exit_now(int code);

#endif
