#ifndef CURING_FILES_H
#define CURING_FILES_H

/*
 * The system calls UringFiles makes on its calling thread that the Swift Glibc
 * module does not export. Each returns the result, or -errno on failure.
 */

#include <stddef.h>
#include <sys/types.h>

/* fstatfs(2): the file system's magic number (f_type) in *type. */
int cuf_file_system_type(int fd, long *type);

/* preadv2(2) of one buffer with RWF_* flags. */
long cuf_pread2(int fd, void *buffer, size_t length, long long offset, int flags);

/* pwritev2(2) of one buffer with RWF_* flags. */
long cuf_pwrite2(int fd, const void *buffer, size_t length, long long offset, int flags);

#endif
