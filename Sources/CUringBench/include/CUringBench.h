#ifndef CURING_BENCH_H
#define CURING_BENCH_H

/*
 * Baselines for `uring bench` that the Swift Glibc module does not export.
 */

#include <stddef.h>

/* copy_file_range(2) from the current offsets; bytes moved or -errno. */
long cub_copy_file_range(int input, int output, size_t length);

/* Whether `path` lies on tmpfs (statfs(2) says TMPFS_MAGIC). */
int cub_is_tmpfs(const char *path);

#include "EchoLoad.h"

#endif
