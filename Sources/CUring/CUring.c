#include "CUring.h"

#include <pthread.h>

unsigned long curing_forks = 0;

static pthread_once_t curing_watch_once = PTHREAD_ONCE_INIT;

/* Runs in the child after fork(2): every ring inherited from the parent is stale. */
static void curing_count_fork(void) {
    __atomic_add_fetch(&curing_forks, 1, __ATOMIC_RELAXED);
}

static void curing_install_fork_handler(void) {
    pthread_atfork(NULL, NULL, curing_count_fork);
}

void curing_watch_forks(void) {
    pthread_once(&curing_watch_once, curing_install_fork_handler);
}
