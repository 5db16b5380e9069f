/*
 * Reference measurement for docs/BENCHMARKS.md: the `uring bench nop` loop
 * written against liburing, to compare the C library with this package on
 * the same machine. Not part of the build; needs liburing-dev:
 *
 *   gcc -O2 docs/reference/liburing_nop.c -o /tmp/liburing_nop -luring
 *   /tmp/liburing_nop BATCH OPS [tuned]
 *
 * "tuned" sets SINGLE_ISSUER|DEFER_TASKRUN and registers the ring fd;
 * otherwise the ring uses liburing's defaults (flags 0).
 */
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    unsigned batch = argc > 1 ? (unsigned)atoi(argv[1]) : 32;
    long ops = argc > 2 ? atol(argv[2]) : 5000000;
    int tuned = argc > 3 && strcmp(argv[3], "tuned") == 0;
    unsigned entries = batch < 8 ? 8 : batch;
    struct io_uring ring;
    unsigned flags = tuned ? (IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN) : 0;
    int ret = io_uring_queue_init(entries, &ring, flags);
    if (ret < 0) { fprintf(stderr, "queue_init: %s\n", strerror(-ret)); return 1; }
    if (tuned && io_uring_register_ring_fd(&ring) != 1) { fprintf(stderr, "register_ring_fd failed\n"); return 1; }

    double start = now();
    long done = 0;
    while (done < ops) {
        for (unsigned i = 0; i < batch; i++) {
            struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
            io_uring_prep_nop(sqe);
            sqe->user_data = i;
        }
        ret = io_uring_submit_and_wait(&ring, batch);
        if (ret < 0) { fprintf(stderr, "submit_and_wait: %s\n", strerror(-ret)); return 1; }
        unsigned seen = 0, head;
        struct io_uring_cqe *cqe;
        while (seen < batch) {
            unsigned count = 0;
            io_uring_for_each_cqe(&ring, head, cqe) { count++; }
            io_uring_cq_advance(&ring, count);
            seen += count;
            if (seen < batch) io_uring_wait_cqe_nr(&ring, &cqe, batch - seen);
        }
        done += seen;
    }
    double rate = done / (now() - start);
    printf("{\"liburing\": \"%s\", \"batch\": %u, \"ops_per_sec\": %.0f}\n", tuned ? "tuned" : "defaults", batch, rate);
    io_uring_queue_exit(&ring);
    return 0;
}
