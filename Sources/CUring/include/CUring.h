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

/* io_uring_setup(2): `params` points at a struct io_uring_params. */
static inline int curing_setup(unsigned entries, void *params) {
    long result = syscall(__NR_io_uring_setup, entries, params);
    return result < 0 ? -errno : (int)result;
}

/* io_uring_enter(2) without an argument. */
static inline int curing_enter(int fd, unsigned to_submit, unsigned min_complete,
                               unsigned flags) {
    long result = syscall(__NR_io_uring_enter, fd, to_submit, min_complete, flags,
                          NULL, (size_t)0);
    return result < 0 ? -errno : (int)result;
}

/* io_uring_enter(2) with an extended argument (IORING_ENTER_EXT_ARG) or a sigmask. */
static inline int curing_enter2(int fd, unsigned to_submit, unsigned min_complete,
                                unsigned flags, const void *arg, size_t arg_size) {
    long result = syscall(__NR_io_uring_enter, fd, to_submit, min_complete, flags,
                          arg, arg_size);
    return result < 0 ? -errno : (int)result;
}

/* io_uring_register(2). */
static inline int curing_register(int fd, unsigned opcode, const void *arg,
                                  unsigned count) {
    long result = syscall(__NR_io_uring_register, fd, opcode, arg, count);
    return result < 0 ? -errno : (int)result;
}

#endif
