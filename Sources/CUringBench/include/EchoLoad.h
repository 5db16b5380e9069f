#ifndef CURING_BENCH_ECHO_LOAD_H
#define CURING_BENCH_ECHO_LOAD_H

/*
 * The echo benchmark's plain-syscall pieces: a load generator (epoll, many
 * connections, one message outstanding on each, every echoed byte checked)
 * and the baseline server (blocking, one thread per connection).
 */

#include <sys/socket.h>

typedef struct {
    /* Messages echoed and checked after the warm-up. */
    long messages;
    /* The measured time in seconds. */
    double seconds;
    /* Round-trip latency percentiles in microseconds. */
    double p50_us;
    double p99_us;
    /* Non-zero when the run failed; `error` says why. */
    int failed;
    char error[200];
} cub_echo_result;

/*
 * Opens `connections` connections to `address`, then keeps one `message_size`
 * message outstanding on each for `warmup` + `seconds` seconds, counting and
 * timing the echoes that complete after the warm-up. Each message's bytes
 * depend on its connection and sequence, and every echoed byte is compared.
 */
void cub_echo_load(const struct sockaddr *address, socklen_t length, int connections, int message_size, double warmup,
                   double seconds, cub_echo_result *result);

/* The blocking baseline server: listens on 127.0.0.1 (port 0: any), one thread
 * per connection, echoing what it reads, or only counting it when `discard`
 * is set (the sink of `uring bench send`). */
typedef struct cub_blocking_server cub_blocking_server;

/* Starts the server; NULL on failure (errno set). `*port` receives the bound port. */
cub_blocking_server *cub_blocking_server_start(unsigned short *port, int discard);

/* Bytes read so far, over every connection. */
unsigned long long cub_blocking_server_received(cub_blocking_server *server);

/* Stops accepting, shuts down every connection, joins every thread, frees the server. */
void cub_blocking_server_stop(cub_blocking_server *server);

#endif
