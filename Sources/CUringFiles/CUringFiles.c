#define _GNU_SOURCE
#include "CUringFiles.h"

#include <errno.h>
#include <sys/statfs.h>
#include <sys/uio.h>

int cuf_file_system_type(int fd, long *type) {
    struct statfs status;
    if (fstatfs(fd, &status) != 0) return -errno;
    *type = (long)status.f_type;
    return 0;
}

long cuf_pread2(int fd, void *buffer, size_t length, long long offset, int flags) {
    struct iovec vector = { buffer, length };
    ssize_t result = preadv2(fd, &vector, 1, (off_t)offset, flags);
    return result < 0 ? -errno : (long)result;
}

long cuf_pwrite2(int fd, const void *buffer, size_t length, long long offset, int flags) {
    struct iovec vector = { (void *)buffer, length };
    ssize_t result = pwritev2(fd, &vector, 1, (off_t)offset, flags);
    return result < 0 ? -errno : (long)result;
}
