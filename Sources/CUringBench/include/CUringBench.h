#ifndef CURING_BENCH_H
#define CURING_BENCH_H

/*
 * Baselines for `uring bench` that the Swift Glibc module does not export.
 */

#include <stddef.h>

/* copy_file_range(2) from the current offsets; bytes moved or -errno. */
long cub_copy_file_range(int input, int output, size_t length);

#endif
