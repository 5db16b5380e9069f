/*
 * Reference measurement for docs/BENCHMARKS.md ("Levers", tree copy): copying
 * many small files one at a time with system calls, with THREADS threads of
 * system calls, or through io_uring as one linked chain per file (open the
 * source and the destination into registered slots, read, write, close both),
 * FILES chains in flight. Not part of the build; needs liburing-dev:
 *
 *   gcc -O2 -pthread docs/reference/small_files.c -o /tmp/small_files -luring
 *   find SRC -type f -size -20k > /tmp/files.txt
 *   /tmp/small_files loop|threads|chain SRC DST /tmp/files.txt [THREADS|FILES]
 *
 * DST must already hold SRC's directories (cd SRC && find . -type d -exec mkdir -p DST/{} \;).
 * Prints files per second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char **sources, **destinations;
static long *sizes;
static int count, threads;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void fail(const char *what, int error) {
    fprintf(stderr, "%s: %s\n", what, strerror(error));
    exit(1);
}

static void copy_one(int index, char *buffer) {
    int input = open(sources[index], O_RDONLY);
    int output = open(destinations[index], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ssize_t got = read(input, buffer, 65536);
    if (got < 0 || write(output, buffer, got) != got) fail("copy", errno);
    close(input);
    close(output);
}

static void *copy_share(void *argument) {
    long first = (long)argument;
    char *buffer = aligned_alloc(4096, 65536);
    for (int index = first; index < count; index += threads) copy_one(index, buffer);
    return NULL;
}

static void copy_chains(int in_flight) {
    struct io_uring ring;
    if (io_uring_queue_init(8 * in_flight, &ring, 0) < 0) fail("io_uring_queue_init", errno);
    if (io_uring_register_files_sparse(&ring, 2 * in_flight) < 0) fail("register_files_sparse", errno);
    char *buffers = aligned_alloc(4096, (size_t)in_flight * 65536);
    int free_slots[4096], free_count = 0, pending[4096], next = 0, active = 0;
    for (int slot = 0; slot < in_flight; slot++) free_slots[free_count++] = slot;
    while (next < count || active > 0) {
        while (free_count > 0 && next < count) {
            int slot = free_slots[--free_count], index = next++;
            char *buffer = buffers + (size_t)slot * 65536;
            struct io_uring_sqe *entries[6];
            for (int i = 0; i < 6; i++) entries[i] = io_uring_get_sqe(&ring);
            io_uring_prep_openat_direct(entries[0], AT_FDCWD, sources[index], O_RDONLY, 0, 2 * slot);
            io_uring_prep_openat_direct(entries[1], AT_FDCWD, destinations[index], O_WRONLY | O_CREAT | O_TRUNC, 0644, 2 * slot + 1);
            io_uring_prep_read(entries[2], 2 * slot, buffer, sizes[index], 0);
            io_uring_prep_write(entries[3], 2 * slot + 1, buffer, sizes[index], 0);
            io_uring_prep_close_direct(entries[4], 2 * slot);
            io_uring_prep_close_direct(entries[5], 2 * slot + 1);
            entries[0]->flags |= IOSQE_IO_LINK;
            entries[1]->flags |= IOSQE_IO_LINK;
            entries[2]->flags |= IOSQE_FIXED_FILE | IOSQE_IO_LINK;
            entries[3]->flags |= IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;
            entries[4]->flags |= IOSQE_IO_HARDLINK;
            for (int i = 0; i < 6; i++) entries[i]->user_data = slot;
            pending[slot] = 6;
            active++;
        }
        io_uring_submit_and_wait(&ring, 1);
        struct io_uring_cqe *completion;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, completion) {
            seen++;
            int slot = completion->user_data;
            if (completion->res < 0) fail("chain", -completion->res);
            if (--pending[slot] == 0) {
                free_slots[free_count++] = slot;
                active--;
            }
        }
        io_uring_cq_advance(&ring, seen);
    }
    io_uring_queue_exit(&ring);
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s loop|threads|chain SRC DST LIST [THREADS|FILES]\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1], *from = argv[2], *to = argv[3];
    int parameter = argc > 5 ? atoi(argv[5]) : 64;
    FILE *list = fopen(argv[4], "r");
    if (!list) fail("list", errno);
    sources = malloc(sizeof(char *) * 1000000);
    destinations = malloc(sizeof(char *) * 1000000);
    sizes = malloc(sizeof(long) * 1000000);
    char line[4096], target[8192];
    while (count < 1000000 && fgets(line, sizeof line, list)) {
        line[strcspn(line, "\n")] = 0;
        struct stat status;
        if (stat(line, &status) != 0) fail(line, errno);
        snprintf(target, sizeof target, "%s%s", to, line + strlen(from));
        sources[count] = strdup(line);
        destinations[count] = strdup(target);
        sizes[count++] = status.st_size;
    }
    double start = now();
    if (!strcmp(mode, "loop")) {
        char *buffer = aligned_alloc(4096, 65536);
        for (int index = 0; index < count; index++) copy_one(index, buffer);
    } else if (!strcmp(mode, "threads")) {
        pthread_t workers[64];
        threads = parameter < 1 ? 1 : parameter > 64 ? 64 : parameter;
        for (long i = 0; i < threads; i++) pthread_create(&workers[i], NULL, copy_share, (void *)i);
        for (int i = 0; i < threads; i++) pthread_join(workers[i], NULL);
    } else if (!strcmp(mode, "chain")) {
        copy_chains(parameter < 1 ? 1 : parameter > 512 ? 512 : parameter);
    } else {
        fail("mode", EINVAL);
    }
    printf("%s %.0f files/s\n", mode, count / (now() - start));
    return 0;
}
