// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "mem.h"

#define LOOP_BATCH 64

struct fde {
	loop_fd_h *h; /* NULL = slot free */
	void *arg;
	uint32_t events;
	uint32_t gen; /* bumped on every add: stale epoll events are ignored */
};

struct loop {
	int epfd;
	bool stop;
	struct fde *fds; /* indexed by fd */
	size_t nfdslots;
	size_t nfds;
	struct tmr **heap;
	size_t nheap, heapcap;
	uint64_t seq;
};

uint64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void loop_destroy(void *arg)
{
	struct loop *l = arg;

	/* timers still running belong to live owners: just detach them */
	for (size_t i = 0; i < l->nheap; i++) {
		l->heap[i]->idx = 0;
		l->heap[i]->loop = NULL;
	}
	free(l->heap);
	free(l->fds);
	if (l->epfd >= 0)
		close(l->epfd);
}

struct loop *loop_new(void)
{
	struct loop *l = mem_zalloc(sizeof(*l), loop_destroy);

	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0)
		return mem_deref(l);
	return l;
}

static int fd_slot(struct loop *l, int fd)
{
	size_t n;
	struct fde *f;

	if ((size_t)fd < l->nfdslots)
		return 0;
	n = l->nfdslots ? l->nfdslots : 64;
	while (n <= (size_t)fd)
		n *= 2;
	f = realloc(l->fds, n * sizeof(*f));
	if (!f)
		return -ENOMEM;
	memset(f + l->nfdslots, 0, (n - l->nfdslots) * sizeof(*f));
	l->fds = f;
	l->nfdslots = n;
	return 0;
}

int loop_fd_add(struct loop *l, int fd, uint32_t events, loop_fd_h *h,
		void *arg)
{
	struct epoll_event ev = { 0 };
	struct fde *f;
	int err;

	if (fd < 0 || !h)
		return -EINVAL;
	err = fd_slot(l, fd);
	if (err)
		return err;
	f = &l->fds[fd];
	if (f->h)
		return -EEXIST;
	f->gen++;
	ev.events = events;
	ev.data.u64 = (uint64_t)(unsigned)fd | ((uint64_t)f->gen << 32);
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	f->h = h;
	f->arg = arg;
	f->events = events;
	l->nfds++;
	return 0;
}

int loop_fd_mod(struct loop *l, int fd, uint32_t events)
{
	struct epoll_event ev = { 0 };
	struct fde *f;

	if (fd < 0 || (size_t)fd >= l->nfdslots || !l->fds[fd].h)
		return -ENOENT;
	f = &l->fds[fd];
	if (f->events == events)
		return 0;
	ev.events = events;
	ev.data.u64 = (uint64_t)(unsigned)fd | ((uint64_t)f->gen << 32);
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev))
		return -errno;
	f->events = events;
	return 0;
}

void loop_fd_del(struct loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->nfdslots || !l->fds[fd].h)
		return;
	/* may fail if the fd was already closed: the kernel dropped it then */
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	l->fds[fd].h = NULL;
	l->fds[fd].arg = NULL;
	l->nfds--;
}

size_t loop_nfds(const struct loop *l)
{
	return l->nfds;
}

size_t loop_ntimers(const struct loop *l)
{
	return l->nheap;
}

/* --- timer heap ------------------------------------------------------- */

static bool tmr_before(const struct tmr *a, const struct tmr *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void heap_set(struct loop *l, size_t i, struct tmr *t)
{
	l->heap[i] = t;
	t->idx = i + 1;
}

static void heap_up(struct loop *l, size_t i)
{
	struct tmr *t = l->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!tmr_before(t, l->heap[p]))
			break;
		heap_set(l, i, l->heap[p]);
		i = p;
	}
	heap_set(l, i, t);
}

static void heap_down(struct loop *l, size_t i)
{
	struct tmr *t = l->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= l->nheap)
			break;
		if (c + 1 < l->nheap && tmr_before(l->heap[c + 1], l->heap[c]))
			c++;
		if (!tmr_before(l->heap[c], t))
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

static void heap_remove(struct loop *l, size_t i)
{
	struct tmr *last = l->heap[--l->nheap];

	if (i == l->nheap)
		return;
	heap_set(l, i, last);
	heap_down(l, i);
	heap_up(l, last->idx - 1);
}

void tmr_init(struct tmr *t)
{
	memset(t, 0, sizeof(*t));
}

void tmr_cancel(struct tmr *t)
{
	if (!t->idx || !t->loop)
		return;
	heap_remove(t->loop, t->idx - 1);
	t->idx = 0;
	t->loop = NULL;
}

int tmr_start(struct loop *l, struct tmr *t, uint64_t ms, tmr_h *h, void *arg)
{
	if (!h)
		return -EINVAL;
	tmr_cancel(t);
	if (l->nheap == l->heapcap) {
		size_t n = l->heapcap ? l->heapcap * 2 : 64;
		struct tmr **nh = realloc(l->heap, n * sizeof(*nh));

		if (!nh)
			return -ENOMEM;
		l->heap = nh;
		l->heapcap = n;
	}
	t->loop = l;
	t->due = loop_now_ms() + ms;
	t->seq = ++l->seq;
	t->h = h;
	t->arg = arg;
	heap_set(l, l->nheap++, t);
	heap_up(l, l->nheap - 1);
	return 0;
}

bool tmr_running(const struct tmr *t)
{
	return t->idx != 0;
}

uint64_t tmr_remaining(const struct tmr *t)
{
	uint64_t now;

	if (!t->idx)
		return 0;
	now = loop_now_ms();
	return t->due > now ? t->due - now : 0;
}

static int run_timers(struct loop *l)
{
	uint64_t now = loop_now_ms();
	int n = 0;

	while (l->nheap && l->heap[0]->due <= now) {
		struct tmr *t = l->heap[0];

		heap_remove(l, 0);
		t->idx = 0;
		t->loop = NULL;
		/* the handler may restart @t or free its owner */
		t->h(t->arg);
		n++;
	}
	return n;
}

static int next_timeout(struct loop *l, int max_ms)
{
	uint64_t now, wait;

	if (!l->nheap)
		return max_ms;
	now = loop_now_ms();
	wait = l->heap[0]->due > now ? l->heap[0]->due - now : 0;
	if (max_ms >= 0 && wait > (uint64_t)max_ms)
		return max_ms;
	return wait > 60000 ? 60000 : (int)wait;
}

int loop_poll(struct loop *l, int max_ms)
{
	struct epoll_event evs[LOOP_BATCH];
	int n, calls = 0;

	n = epoll_wait(l->epfd, evs, LOOP_BATCH, next_timeout(l, max_ms));
	if (n < 0) {
		if (errno != EINTR)
			return -errno;
		n = 0;
	}
	for (int i = 0; i < n; i++) {
		int fd = (int)(evs[i].data.u64 & 0xffffffffu);
		uint32_t gen = (uint32_t)(evs[i].data.u64 >> 32);
		struct fde *f;

		if ((size_t)fd >= l->nfdslots)
			continue;
		f = &l->fds[fd];
		/* deleted (or deleted and re-added) by an earlier handler */
		if (!f->h || f->gen != gen)
			continue;
		f->h(fd, evs[i].events, f->arg);
		calls++;
	}
	return calls + run_timers(l);
}

int loop_run(struct loop *l)
{
	int err;

	l->stop = false;
	while (!l->stop) {
		err = loop_poll(l, -1);
		if (err < 0)
			return err;
	}
	return 0;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}
