/*
 * Reference measurements for docs/BENCHMARKS.md ("Levers"): the ways of
 * copying and writing one file that the UringFiles pipelines were chosen
 * from, written against liburing so each lever can be switched alone. Not
 * part of the build; needs liburing-dev (Debian's liburing 2.3):
 *
 *   gcc -O2 docs/reference/file_levers.c -o /tmp/file_levers -luring
 *   /tmp/file_levers MODE SOURCE DESTINATION MIB [CHUNK_KIB [DEPTH [ASYNC_READS]]]
 *
 * MODE: write-loop, write-ring (DEPTH writes of CHUNK_KIB in flight),
 *       copy-loop (read/write), copy-file-range, copy-linked (each write linked
 *       to its read), copy-unlinked (each write submitted when its read completes),
 *       copy-splice (file -> per-slot pipe -> file, unlinked).
 * Environment: WORKERS=N caps io-wq's bounded workers; RESERVE=1 reserves the
 *       destination with fallocate(FALLOC_FL_KEEP_SIZE) first; DEFER=1 sets up the
 *       ring with SINGLE_ISSUER|DEFER_TASKRUN; SPIN=US polls the completion queue
 *       that many microseconds before sleeping; KEEP=1 leaves the destination.
 * Prints MiB/s of the transfer alone (opening included, removal not).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { most_slots = 4096 };

static const char *source, *destination;
static long total;
static size_t chunk = 1 << 20;
static int depth = 32;
static int async_reads = 0;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void fail(const char *what, int error) {
    fprintf(stderr, "%s: %s\n", what, strerror(error));
    exit(1);
}

static void setup(struct io_uring *ring, unsigned entries) {
    unsigned flags = getenv("DEFER") ? IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN : 0;
    if (io_uring_queue_init(entries, ring, flags) < 0) fail("io_uring_queue_init", errno);
    if (getenv("WORKERS")) {
        unsigned limits[2] = {atoi(getenv("WORKERS")), atoi(getenv("WORKERS"))};
        if (io_uring_register_iowq_max_workers(ring, limits) < 0) fail("iowq_max_workers", errno);
    }
}

/* Submits, then waits for `count` completions, polling first when SPIN is set. */
static void wait_for(struct io_uring *ring, unsigned count) {
    if (getenv("SPIN")) {
        io_uring_submit(ring);
        double until = now() + atof(getenv("SPIN")) * 1e-6;
        while (io_uring_cq_ready(ring) < count && now() < until) {}
        if (io_uring_cq_ready(ring) >= count) return;
    }
    io_uring_submit_and_wait(ring, count);
}

static int create_destination(long size) {
    int fd = open(destination, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) fail("open destination", errno);
    if (getenv("RESERVE")) fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, size);
    return fd;
}

static long source_size(int fd) {
    struct stat status;
    fstat(fd, &status);
    return status.st_size;
}

static void write_loop(void) {
    int fd = create_destination(total);
    char *buffer = aligned_alloc(4096, chunk);
    memset(buffer, 0x5a, chunk);
    for (long done = 0; done < total; done += chunk)
        if (write(fd, buffer, chunk) != (ssize_t)chunk) fail("write", errno);
    close(fd);
}

static void write_ring(void) {
    struct io_uring ring;
    setup(&ring, 2 * depth);
    int fd = create_destination(total);
    char *buffer = aligned_alloc(4096, chunk);
    memset(buffer, 0x5a, chunk);
    long offset = 0, done = 0;
    int in_flight = 0;
    while (done < total) {
        while (in_flight < depth && offset < total) {
            io_uring_prep_write(io_uring_get_sqe(&ring), fd, buffer, chunk, offset);
            offset += chunk;
            in_flight++;
        }
        wait_for(&ring, 1);
        struct io_uring_cqe *completion;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, completion) {
            if (completion->res != (int)chunk) fail("write", -completion->res);
            seen++;
            done += chunk;
        }
        io_uring_cq_advance(&ring, seen);
        in_flight -= seen;
    }
    close(fd);
    io_uring_queue_exit(&ring);
}

static void copy_loop(void) {
    int input = open(source, O_RDONLY);
    int output = create_destination(source_size(input));
    char *buffer = aligned_alloc(4096, chunk);
    for (;;) {
        ssize_t got = read(input, buffer, chunk);
        if (got <= 0) break;
        if (write(output, buffer, got) != got) fail("write", errno);
    }
    close(input);
    close(output);
}

static void copy_file_range_loop(void) {
    int input = open(source, O_RDONLY);
    int output = create_destination(source_size(input));
    for (;;) {
        ssize_t moved = copy_file_range(input, NULL, output, NULL, 1 << 30, 0);
        if (moved < 0) fail("copy_file_range", errno);
        if (moved == 0) break;
    }
    close(input);
    close(output);
}

/* One read per slot at `offset`; with `linked`, the write of the same bytes linked behind it. */
static void push_read(struct io_uring *ring, int input, int output, char *memory, int slot, long offset, int linked) {
    struct io_uring_sqe *entry = io_uring_get_sqe(ring);
    io_uring_prep_read(entry, input, memory + (size_t)slot * chunk, chunk, offset);
    entry->flags |= (async_reads ? IOSQE_ASYNC : 0) | (linked ? IOSQE_IO_LINK : 0);
    entry->user_data = slot;
    if (!linked) return;
    entry = io_uring_get_sqe(ring);
    io_uring_prep_write(entry, output, memory + (size_t)slot * chunk, chunk, offset);
    entry->user_data = slot | (1ULL << 32);
}

/* Whole-chunk copies only (the source is a multiple of CHUNK_KIB): enough to compare levers. */
static void copy_ring(int linked) {
    struct io_uring ring;
    setup(&ring, 2 * depth);
    int input = open(source, O_RDONLY);
    long size = source_size(input);
    int output = create_destination(size);
    char *memory = aligned_alloc(4096, chunk * depth);
    long slot_offset[most_slots], offset = 0;
    int in_flight = 0;
    for (int slot = 0; slot < depth && offset < size; slot++, offset += chunk, in_flight++) {
        slot_offset[slot] = offset;
        push_read(&ring, input, output, memory, slot, offset, linked);
    }
    while (in_flight > 0) {
        wait_for(&ring, 1);
        struct io_uring_cqe *completion;
        unsigned head, seen = 0;
        int written[most_slots], read_done[most_slots], writes = 0, reads = 0;
        io_uring_for_each_cqe(&ring, head, completion) {
            seen++;
            int slot = completion->user_data & 0xffffffff;
            if (completion->res != (int)chunk) fail(completion->user_data >> 32 ? "write" : "read", -completion->res);
            if (completion->user_data >> 32) written[writes++] = slot;
            else if (!linked) read_done[reads++] = slot;
        }
        io_uring_cq_advance(&ring, seen);
        for (int i = 0; i < reads; i++) {
            int slot = read_done[i];
            struct io_uring_sqe *entry = io_uring_get_sqe(&ring);
            io_uring_prep_write(entry, output, memory + (size_t)slot * chunk, chunk, slot_offset[slot]);
            entry->user_data = slot | (1ULL << 32);
        }
        for (int i = 0; i < writes; i++, in_flight--) {
            int slot = written[i];
            if (offset >= size) continue;
            slot_offset[slot] = offset;
            push_read(&ring, input, output, memory, slot, offset, linked);
            offset += chunk;
            in_flight++;
        }
    }
    close(input);
    close(output);
    io_uring_queue_exit(&ring);
}

static void copy_splice(void) {
    struct io_uring ring;
    setup(&ring, 2 * depth);
    int input = open(source, O_RDONLY);
    long size = source_size(input);
    int output = create_destination(size);
    int pipe_read[most_slots], pipe_write[most_slots], got[most_slots];
    long slot_offset[most_slots], offset = 0;
    for (int slot = 0; slot < depth; slot++) {
        int ends[2];
        if (pipe(ends) != 0 || fcntl(ends[1], F_SETPIPE_SZ, chunk) < 0) fail("pipe", errno);
        pipe_read[slot] = ends[0];
        pipe_write[slot] = ends[1];
    }
    int in_flight = 0;
    for (int slot = 0; slot < depth && offset < size; slot++, offset += chunk, in_flight++) {
        slot_offset[slot] = offset;
        struct io_uring_sqe *entry = io_uring_get_sqe(&ring);
        io_uring_prep_splice(entry, input, offset, pipe_write[slot], -1, chunk, 0);
        entry->user_data = slot;
    }
    while (in_flight > 0) {
        wait_for(&ring, 1);
        struct io_uring_cqe *completion;
        unsigned head, seen = 0;
        int spliced_out[most_slots], spliced_in[most_slots], outs = 0, ins = 0;
        io_uring_for_each_cqe(&ring, head, completion) {
            seen++;
            int slot = completion->user_data & 0xffffffff;
            if (completion->res <= 0) fail("splice", -completion->res);
            if (completion->user_data >> 32) spliced_out[outs++] = slot;
            else { got[slot] = completion->res; spliced_in[ins++] = slot; }
        }
        io_uring_cq_advance(&ring, seen);
        for (int i = 0; i < ins; i++) {
            int slot = spliced_in[i];
            struct io_uring_sqe *entry = io_uring_get_sqe(&ring);
            io_uring_prep_splice(entry, pipe_read[slot], -1, output, slot_offset[slot], got[slot], 0);
            entry->user_data = slot | (1ULL << 32);
        }
        for (int i = 0; i < outs; i++, in_flight--) {
            int slot = spliced_out[i];
            if (offset >= size) continue;
            slot_offset[slot] = offset;
            struct io_uring_sqe *entry = io_uring_get_sqe(&ring);
            io_uring_prep_splice(entry, input, offset, pipe_write[slot], -1, chunk, 0);
            entry->user_data = slot;
            offset += chunk;
            in_flight++;
        }
    }
    close(input);
    close(output);
    io_uring_queue_exit(&ring);
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s MODE SOURCE DESTINATION MIB [CHUNK_KIB [DEPTH [ASYNC_READS]]]\n", argv[0]);
        return 2;
    }
    source = argv[2];
    destination = argv[3];
    total = atol(argv[4]) << 20;
    if (argc > 5) chunk = (size_t)atol(argv[5]) << 10;
    if (argc > 6) depth = atoi(argv[6]);
    if (argc > 7) async_reads = atoi(argv[7]);
    if (depth < 1 || depth > most_slots) fail("depth", EINVAL);
    unlink(destination);
    double start = now();
    const char *mode = argv[1];
    if (!strcmp(mode, "write-loop")) write_loop();
    else if (!strcmp(mode, "write-ring")) write_ring();
    else if (!strcmp(mode, "copy-loop")) copy_loop();
    else if (!strcmp(mode, "copy-file-range")) copy_file_range_loop();
    else if (!strcmp(mode, "copy-linked")) copy_ring(1);
    else if (!strcmp(mode, "copy-unlinked")) copy_ring(0);
    else if (!strcmp(mode, "copy-splice")) copy_splice();
    else fail("mode", EINVAL);
    double seconds = now() - start;
    struct stat status;
    stat(destination, &status);
    printf("%s %.0f MiB/s (%ld bytes)\n", mode, status.st_size / 1048576.0 / seconds, (long)status.st_size);
    if (!getenv("KEEP")) unlink(destination);
    return 0;
}
