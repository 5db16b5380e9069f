#define _GNU_SOURCE
#include "CUringBench.h"

#include <errno.h>
#include <sys/statfs.h>
#include <unistd.h>

long cub_copy_file_range(int input, int output, size_t length) {
    ssize_t moved = copy_file_range(input, NULL, output, NULL, length, 0);
    return moved < 0 ? -errno : moved;
}

int cub_is_tmpfs(const char *path) {
    struct statfs status;
    return statfs(path, &status) == 0 && status.f_type == 0x01021994;
}
