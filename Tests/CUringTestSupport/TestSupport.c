#define _GNU_SOURCE
#include "CUringTestSupport.h"

#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

int cts_eventfd(unsigned int initial, int nonblocking) {
    int fd = eventfd(initial, EFD_CLOEXEC | (nonblocking ? EFD_NONBLOCK : 0));
    return fd < 0 ? -errno : fd;
}

int cts_epoll_create(void) {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int cts_epoll_add(int epfd, int fd, uint32_t events, uint64_t data) {
    struct epoll_event event = {.events = events, .data.u64 = data};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) < 0 ? -errno : 0;
}

int cts_epoll_wait_one(int epfd, int timeout_ms, uint32_t *events, uint64_t *data) {
    struct epoll_event event = {0};
    int count = epoll_wait(epfd, &event, 1, timeout_ms);
    if (count < 0) return -errno;
    *events = event.events;
    *data = event.data.u64;
    return count;
}

long cts_fsetxattr(int fd, const char *name, const void *value, size_t size) {
    return fsetxattr(fd, name, value, size, 0) < 0 ? -errno : 0;
}

long cts_fgetxattr(int fd, const char *name, void *value, size_t size) {
    ssize_t result = fgetxattr(fd, name, value, size);
    return result < 0 ? -errno : result;
}

int cts_spawn_exiting_child(int code) {
    pid_t pid = fork();
    if (pid == 0) _exit(code);
    return pid < 0 ? -errno : pid;
}

static int64_t clock_ns(clockid_t clock) {
    struct timespec now;
    clock_gettime(clock, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

int64_t cts_boottime_ns(void) { return clock_ns(CLOCK_BOOTTIME); }
int64_t cts_realtime_ns(void) { return clock_ns(CLOCK_REALTIME); }

/*
 * Allocation counting: the test executable's malloc family wraps glibc's and
 * counts calls on threads that asked for it.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CTS_SANITIZED 1
#endif
#endif

#ifdef CTS_SANITIZED
/* XCTest's runner keeps its suite objects until exit; not ours to free. */
const char *__lsan_default_suppressions(void) { return "leak:libXCTest.so\n"; }

#if __has_feature(thread_sanitizer)
/* UnsafeContinuation.resume(returning:) reads the awaiting task's frame just
 * before the runtime hands the task over; ThreadSanitizer does not see that
 * hand-over when the task resumes on the global executor (swiftlang/swift#57803),
 * and reports the frame's later reuse as a race. */
const char *__tsan_default_suppressions(void) { return "race:sScc6resume9returning\n"; }
#endif

/* Sanitizers interpose the malloc family themselves: no counting. */
int cts_allocation_counting_available(void) { return 0; }
void cts_count_allocations(int enabled) { (void)enabled; }
long cts_allocation_count(void) { return -1; }
#else
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static _Thread_local int counting;
static _Thread_local long allocations;

int cts_allocation_counting_available(void) { return 1; }

void cts_count_allocations(int enabled) {
    counting = enabled;
    if (enabled) allocations = 0;
}

long cts_allocation_count(void) { return allocations; }

void *malloc(size_t size) {
    if (counting) allocations++;
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    if (counting) allocations++;
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    if (counting) allocations++;
    return __libc_realloc(pointer, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (counting) allocations++;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size) {
    if (counting) allocations++;
    return __libc_memalign(alignment, size);
}
#endif

int cts_loop_attach(int backing_fd) {
    int control = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
    if (control < 0) return -errno;
    int number = ioctl(control, LOOP_CTL_GET_FREE);
    int saved = errno;
    close(control);
    if (number < 0) return -saved;
    char path[32];
    snprintf(path, sizeof path, "/dev/loop%d", number);
    int loop = open(path, O_RDWR | O_CLOEXEC);
    if (loop < 0) return -errno;
    if (ioctl(loop, LOOP_SET_FD, backing_fd) < 0) {
        saved = errno;
        close(loop);
        return -saved;
    }
    return loop;
}

void cts_loop_detach(int loop_fd) {
    ioctl(loop_fd, LOOP_CLR_FD, 0);
    close(loop_fd);
}

int cts_run_self(const char *filter, const char *marker, const char *marker_value, int block_io_uring,
                 long file_size_limit, int user) {
    struct sock_filter program[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog filter_program = {.len = sizeof program / sizeof program[0], .filter = program};
    char *const arguments[] = {"self", "--testing-library", "swift-testing", "--filter", (char *)filter, NULL};
    pid_t pid = fork();
    if (pid < 0) return -errno;
    if (pid == 0) {
        setenv(marker, marker_value, 1);
        if (file_size_limit > 0) {
            struct rlimit limit = {.rlim_cur = (rlim_t)file_size_limit, .rlim_max = (rlim_t)file_size_limit};
            signal(SIGXFSZ, SIG_IGN);
            if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(123);
        }
        if (user > 0) {
            if (setgroups(0, NULL) != 0 || setgid((gid_t)user) != 0 || setuid((uid_t)user) != 0) _exit(124);
        }
        if (block_io_uring) {
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(120);
            if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter_program) != 0) _exit(121);
        }
        execv("/proc/self/exe", arguments);
        _exit(122);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return -errno;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct cts_storm {
    pthread_t thread;
    pthread_t target;
    long interval_us;
    long sent;
    int stop; /* read and written with __atomic builtins */
    sigset_t previous_mask;
};

static void cts_ignore_signal(int signal_number) { (void)signal_number; }

static void *cts_storm_loop(void *argument) {
    struct cts_storm *storm = argument;
    while (!__atomic_load_n(&storm->stop, __ATOMIC_ACQUIRE)) {
        if (pthread_kill(storm->target, SIGALRM) == 0) storm->sent++;
        usleep((useconds_t)storm->interval_us);
    }
    return NULL;
}

void *cts_signal_storm_start(long interval_us) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cts_ignore_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGALRM, &action, NULL);
    struct cts_storm *storm = calloc(1, sizeof *storm);
    /* Worker threads of the test runner block most signals: let SIGALRM in here. */
    sigset_t alarm;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    pthread_sigmask(SIG_UNBLOCK, &alarm, &storm->previous_mask);
    storm->target = pthread_self();
    storm->interval_us = interval_us;
    pthread_create(&storm->thread, NULL, cts_storm_loop, storm);
    return storm;
}

long cts_signal_storm_stop(void *argument) {
    struct cts_storm *storm = argument;
    __atomic_store_n(&storm->stop, 1, __ATOMIC_RELEASE);
    pthread_join(storm->thread, NULL);
    pthread_sigmask(SIG_SETMASK, &storm->previous_mask, NULL);
    long sent = storm->sent;
    free(storm);
    return sent;
}

int cts_fork(void) { return fork(); }

int cts_wait_exit(int pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -errno;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void cts_exit_now(int code) { _exit(code); }
