#ifndef CURING_H
#define CURING_H

/*
 * The three io_uring system calls, reachable from Swift (which cannot call
 * the variadic syscall(2) directly). Each returns the kernel's result, or
 * the negated errno on failure, so callers never read the thread's errno.
 * No structures and no constants live here: the ABI is declared in Swift.
 */

#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * One system call with up to six arguments, returning the kernel's raw result
 * (a negated errno on failure). On x86_64 the `syscall` instruction is issued
 * directly, which skips libc's variadic wrapper and its errno store on the
 * hot path; elsewhere libc's syscall(2) is used and errno negated.
 */
static inline long curing_syscall6(long number, long a1, long a2, long a3, long a4,
                                   long a5, long a6) {
#if defined(__x86_64__)
    long result;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return result;
#else
    long result = syscall(number, a1, a2, a3, a4, a5, a6);
    return result < 0 ? -errno : result;
/*
 * Fork detection for rings: curing_watch_forks() installs (once) a
 * pthread_atfork child handler that bumps a counter, so a ring can tell in
 * one load whether it runs in a child of the process that created it.
 */
extern unsigned long curing_forks;

/* Installs the child handler; safe to call from any thread, any number of times. */
void curing_watch_forks(void);

/* How many forks this process descends through since it started. */
static inline unsigned long curing_fork_generation(void) {
    return __atomic_load_n(&curing_forks, __ATOMIC_RELAXED);
}

#endif
}

/* io_uring_setup(2): `params` points at a struct io_uring_params. */
static inline int curing_setup(unsigned entries, void *params) {
    return (int)curing_syscall6(__NR_io_uring_setup, entries, (long)params, 0, 0, 0, 0);
}

/* io_uring_enter(2) without an argument. */
static inline int curing_enter(int fd, unsigned to_submit, unsigned min_complete,
                               unsigned flags) {
    return (int)curing_syscall6(__NR_io_uring_enter, fd, to_submit, min_complete, flags, 0, 0);
}

/* io_uring_enter(2) with an extended argument (IORING_ENTER_EXT_ARG) or a sigmask. */
static inline int curing_enter2(int fd, unsigned to_submit, unsigned min_complete,
                                unsigned flags, const void *arg, size_t arg_size) {
    return (int)curing_syscall6(__NR_io_uring_enter, fd, to_submit, min_complete, flags,
                                (long)arg, (long)arg_size);
}

/* io_uring_register(2). */
static inline int curing_register(int fd, unsigned opcode, const void *arg,
                                  unsigned count) {
    return (int)curing_syscall6(__NR_io_uring_register, fd, opcode, (long)arg, count, 0, 0);
}

/*
 * Fork detection for rings: curing_watch_forks() installs (once) a
 * pthread_atfork child handler that bumps a counter, so a ring can tell in
 * one load whether it runs in a child of the process that created it.
 */
extern unsigned long curing_forks;

/* Installs the child handler; safe to call from any thread, any number of times. */
void curing_watch_forks(void);

/* How many forks this process descends through since it started. */
static inline unsigned long curing_fork_generation(void) {
    return __atomic_load_n(&curing_forks, __ATOMIC_RELAXED);
}

#endif
