/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event loop: epoll for file descriptors, a binary heap for timers.
 *
 * One loop per thread; it owns every fd handler and timer registered on
 * it. Handlers run on the loop's thread and must not block. A handler may
 * delete any fd (including its own) or cancel any timer: deleted fds get no
 * further events, even ones already fetched in the same epoll batch.
 */
#ifndef TL_BASE_LOOP_H
#define TL_BASE_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>

struct loop;

typedef void(loop_fd_h)(int fd, uint32_t events, void *arg);
typedef void(tmr_h)(void *arg);

/* A timer is embedded in its owner; tmr_init() before first use and
 * tmr_cancel() in the owner's destructor. */
struct tmr {
	struct loop *loop; /* borrowed; set while running */
	uint64_t due;	   /* CLOCK_MONOTONIC, ms */
	uint64_t seq;	   /* start order: equal due times fire FIFO */
	size_t idx;	   /* heap position + 1; 0 = not running */
	tmr_h *h;
	void *arg;
};

/* Monotonic milliseconds. */
uint64_t loop_now_ms(void);

/* New loop (mem object: release with mem_deref). NULL on failure. */
struct loop *loop_new(void);

/* Watch @fd for @events (EPOLLIN/EPOLLOUT/...). -EEXIST if already added. */
int loop_fd_add(struct loop *l, int fd, uint32_t events, loop_fd_h *h,
		void *arg);
/* Change the events of a watched fd. */
int loop_fd_mod(struct loop *l, int fd, uint32_t events);
/* Stop watching @fd (does not close it). Safe inside any handler. */
void loop_fd_del(struct loop *l, int fd);

/* Run until loop_stop(); returns 0 or a negative errno. */
int loop_run(struct loop *l);
/* One iteration: wait at most @max_ms (-1 = until the next timer/event),
 * dispatch what is ready. Returns the number of handlers called. */
int loop_poll(struct loop *l, int max_ms);
void loop_stop(struct loop *l);
/* Number of fds and timers registered (for tests and status). */
size_t loop_nfds(const struct loop *l);
size_t loop_ntimers(const struct loop *l);

void tmr_init(struct tmr *t);
/* (Re)start @t to fire once after @ms. */
int tmr_start(struct loop *l, struct tmr *t, uint64_t ms, tmr_h *h, void *arg);
void tmr_cancel(struct tmr *t);
bool tmr_running(const struct tmr *t);
/* Milliseconds until @t fires (0 if not running or overdue). */
uint64_t tmr_remaining(const struct tmr *t);

#endif
