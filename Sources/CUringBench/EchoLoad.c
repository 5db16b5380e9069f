#define _GNU_SOURCE
#include "EchoLoad.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int fd;
    unsigned long sequence;
    int received;
    double sent_at;
    unsigned char *expected;
} connection;

static double now_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* The bytes of message `sequence` on connection `index`. */
static void fill(unsigned char *bytes, int size, int index, unsigned long sequence) {
    for (int i = 0; i < size; i++) bytes[i] = (unsigned char)(index * 131 + sequence * 7 + i);
}

static int send_all(int fd, const void *bytes, size_t size) {
    size_t done = 0;
    while (done < size) {
        ssize_t sent = send(fd, (const char *)bytes + done, size - done, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent < 0 && errno == EAGAIN) {
            usleep(10);
            continue;
        }
        if (sent <= 0) return -1;
        done += (size_t)sent;
    }
    return 0;
}

static void fail(cub_echo_result *result, const char *what, int code) {
    if (result->failed) return;
    result->failed = 1;
    if (code)
        snprintf(result->error, sizeof result->error, "%s: %s", what, strerror(code));
    else
        snprintf(result->error, sizeof result->error, "%s", what);
}

/* Sends connection `index`'s next message and notes when. */
static int send_next(connection *c, int index, int size, unsigned char *scratch) {
    c->received = 0;
    c->sent_at = now_seconds();
    fill(scratch, size, index, c->sequence);
    return send_all(c->fd, scratch, (size_t)size);
}

enum { latency_buckets = 1000000 }; /* 1 µs each, up to 1 s */

static double percentile(const unsigned *histogram, long total, double fraction) {
    long target = (long)((double)total * fraction);
    long seen = 0;
    for (int i = 0; i < latency_buckets; i++) {
        seen += histogram[i];
        if (seen > target) return (double)i;
    }
    return (double)latency_buckets;
}

void cub_echo_load(const struct sockaddr *address, socklen_t length, int connections, int message_size, double warmup,
                   double seconds, cub_echo_result *result) {
    memset(result, 0, sizeof *result);
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    connection *all = calloc((size_t)connections, sizeof *all);
    unsigned *histogram = calloc(latency_buckets, sizeof *histogram);
    unsigned char *scratch = malloc((size_t)message_size);
    unsigned char *incoming = malloc(65536);
    unsigned char *expected = malloc((size_t)message_size);
    if (epoll < 0 || !all || !histogram || !scratch || !incoming || !expected) {
        fail(result, "setup", errno ? errno : ENOMEM);
        goto done;
    }
    for (int i = 0; i < connections; i++) all[i].fd = -1;
    for (int i = 0; i < connections; i++) {
        int fd = socket(address->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, address, length) != 0) {
            fail(result, "connect", errno);
            if (fd >= 0) close(fd);
            goto done;
        }
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        all[i].fd = fd;
        struct epoll_event event = {.events = EPOLLIN, .data.u32 = (unsigned)i};
        epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
    }
    const double start = now_seconds();
    const double measure_from = start + warmup;
    const double end = measure_from + seconds;
    for (int i = 0; i < connections; i++) {
        if (send_next(&all[i], i, message_size, scratch) != 0) {
            fail(result, "send", errno);
            goto done;
        }
    }
    struct epoll_event events[256];
    while (!result->failed) {
        double now = now_seconds();
        if (now >= end) break;
        int ready = epoll_wait(epoll, events, 256, 100);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) {
            fail(result, "epoll_wait", errno);
            break;
        }
        for (int e = 0; e < ready && !result->failed; e++) {
            int index = (int)events[e].data.u32;
            connection *c = &all[index];
            ssize_t got = recv(c->fd, incoming, (size_t)(message_size - c->received), MSG_DONTWAIT);
            if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (got <= 0) {
                fail(result, got == 0 ? "recv: the server closed a connection" : "recv", got == 0 ? 0 : errno);
                break;
            }
            fill(expected, message_size, index, c->sequence);
            if (memcmp(incoming, expected + c->received, (size_t)got) != 0) {
                fail(result, "echo differs from what was sent", 0);
                break;
            }
            c->received += (int)got;
            if (c->received < message_size) continue;
            double finished = now_seconds();
            if (c->sent_at >= measure_from && finished <= end) {
                long micros = (long)((finished - c->sent_at) * 1e6);
                histogram[micros < latency_buckets ? micros : latency_buckets - 1]++;
                result->messages++;
            }
            c->sequence++;
            if (send_next(c, index, message_size, scratch) != 0) fail(result, "send", errno);
        }
    }
    result->seconds = seconds;
    result->p50_us = percentile(histogram, result->messages, 0.50);
    result->p99_us = percentile(histogram, result->messages, 0.99);
done:
    if (all)
        for (int i = 0; i < connections; i++)
            if (all[i].fd >= 0) close(all[i].fd);
    if (epoll >= 0) close(epoll);
    free(all);
    free(histogram);
    free(scratch);
    free(incoming);
    free(expected);
}

/* The blocking baseline. */

typedef struct worker {
    pthread_t thread;
    int fd;
    struct cub_blocking_server *server;
    struct worker *next;
} worker;

struct cub_blocking_server {
    int listener;
    int discard;
    atomic_ullong received;
    pthread_t acceptor;
    pthread_mutex_t lock;
    worker *workers;
    atomic_int stopping;
};

static void *serve_one(void *argument) {
    worker *w = argument;
    char buffer[65536];
    for (;;) {
        ssize_t got = read(w->fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        atomic_fetch_add(&w->server->received, (unsigned long long)got);
        if (!w->server->discard && send_all(w->fd, buffer, (size_t)got) != 0) break;
    }
    return NULL;
}

static void *accept_loop(void *argument) {
    cub_blocking_server *server = argument;
    for (;;) {
        int fd = accept4(server->listener, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            break;
        }
        if (atomic_load(&server->stopping)) {
            close(fd);
            break;
        }
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        worker *w = calloc(1, sizeof *w);
        w->fd = fd;
        w->server = server;
        pthread_mutex_lock(&server->lock);
        w->next = server->workers;
        server->workers = w;
        pthread_create(&w->thread, NULL, serve_one, w);
        pthread_mutex_unlock(&server->lock);
    }
    return NULL;
}

cub_blocking_server *cub_blocking_server_start(unsigned short *port, int discard) {
    cub_blocking_server *server = calloc(1, sizeof *server);
    if (!server) return NULL;
    server->discard = discard;
    server->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    setsockopt(server->listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(*port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    if (server->listener < 0 || bind(server->listener, (struct sockaddr *)&address, sizeof address) != 0 ||
        listen(server->listener, 1024) != 0 || getsockname(server->listener, (struct sockaddr *)&address, &length) != 0) {
        int saved = errno;
        if (server->listener >= 0) close(server->listener);
        free(server);
        errno = saved;
        return NULL;
    }
    *port = ntohs(address.sin_port);
    pthread_mutex_init(&server->lock, NULL);
    pthread_create(&server->acceptor, NULL, accept_loop, server);
    return server;
}

unsigned long long cub_blocking_server_received(cub_blocking_server *server) { return atomic_load(&server->received); }

void cub_blocking_server_stop(cub_blocking_server *server) {
    atomic_store(&server->stopping, 1);
    shutdown(server->listener, SHUT_RDWR);
    pthread_join(server->acceptor, NULL);
    close(server->listener);
    pthread_mutex_lock(&server->lock);
    worker *w = server->workers;
    server->workers = NULL;
    pthread_mutex_unlock(&server->lock);
    while (w) {
        worker *next = w->next;
        shutdown(w->fd, SHUT_RDWR);
        pthread_join(w->thread, NULL);
        close(w->fd);
        free(w);
        w = next;
    }
    pthread_mutex_destroy(&server->lock);
    free(server);
}
