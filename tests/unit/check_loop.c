// SPDX-License-Identifier: GPL-2.0
/* gateway/base/loop: timers (order, cancel, many) and fd readiness */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "tl_check.h"

struct rec {
	int order[64];
	int n;
};

struct tt {
	struct tmr t;
	struct rec *rec;
	int id;
};

static void fire(void *arg)
{
	struct tt *x = arg;

	x->rec->order[x->rec->n++] = x->id;
}

static void run_until(struct loop *l, int *done, int want, int max_ms)
{
	uint64_t end = loop_now_ms() + (uint64_t)max_ms;

	while (*done < want && loop_now_ms() < end)
		loop_poll(l, 10);
}

START_TEST(timer_order)
{
	struct loop *l = loop_new();
	struct rec rec = { 0 };
	/* due times: 30, 10, 20, 10 (same as #1: FIFO), 0 */
	static const int ms[] = { 30, 10, 20, 10, 0 };
	struct tt t[5];

	for (int i = 0; i < 5; i++) {
		tmr_init(&t[i].t);
		t[i].rec = &rec;
		t[i].id = i;
		ck_assert_int_eq(tmr_start(l, &t[i].t, (uint64_t)ms[i], fire,
					   &t[i]),
				 0);
	}
	ck_assert_uint_eq(loop_ntimers(l), 5);
	run_until(l, &rec.n, 5, 2000);
	ck_assert_int_eq(rec.n, 5);
	ck_assert_int_eq(rec.order[0], 4);
	ck_assert_int_eq(rec.order[1], 1);
	ck_assert_int_eq(rec.order[2], 3);
	ck_assert_int_eq(rec.order[3], 2);
	ck_assert_int_eq(rec.order[4], 0);
	ck_assert_uint_eq(loop_ntimers(l), 0);
	mem_deref(l);
}
END_TEST

START_TEST(timer_cancel_restart)
{
	struct loop *l = loop_new();
	struct rec rec = { 0 };
	struct tt a = { .rec = &rec, .id = 1 }, b = { .rec = &rec, .id = 2 };
	uint64_t t0 = loop_now_ms();

	tmr_init(&a.t);
	tmr_init(&b.t);
	tmr_start(l, &a.t, 5, fire, &a);
	tmr_start(l, &b.t, 10, fire, &b);
	tmr_cancel(&a.t);
	tmr_cancel(&a.t); /* twice is harmless */
	ck_assert(!tmr_running(&a.t));
	/* restarting moves the due time */
	tmr_start(l, &b.t, 40, fire, &b);
	ck_assert(tmr_remaining(&b.t) > 20);
	run_until(l, &rec.n, 1, 2000);
	ck_assert_int_eq(rec.n, 1);
	ck_assert_int_eq(rec.order[0], 2);
	ck_assert(loop_now_ms() - t0 >= 40);
	loop_poll(l, 30);
	ck_assert_int_eq(rec.n, 1);
	mem_deref(l);
}
END_TEST

#define NMANY 10000

struct many {
	struct tmr t;
	uint64_t due;
	int *fired;
	int *misorder;
	uint64_t *last;
};

static void many_fire(void *arg)
{
	struct many *m = arg;

	if (m->due < *m->last)
		(*m->misorder)++;
	*m->last = m->due;
	(*m->fired)++;
}

START_TEST(timer_many)
{
	struct loop *l = loop_new();
	struct many *m = calloc(NMANY, sizeof(*m));
	int fired = 0, misorder = 0, cancelled = 0;
	uint64_t last = 0;

	srand(42);
	for (int i = 0; i < NMANY; i++) {
		tmr_init(&m[i].t);
		m[i].fired = &fired;
		m[i].misorder = &misorder;
		m[i].last = &last;
		tmr_start(l, &m[i].t, (uint64_t)(rand() % 50), many_fire,
			  &m[i]);
		m[i].due = m[i].t.due;
	}
	/* cancel every third one, from the middle of the heap */
	for (int i = 0; i < NMANY; i += 3) {
		tmr_cancel(&m[i].t);
		cancelled++;
	}
	ck_assert_uint_eq(loop_ntimers(l), NMANY - cancelled);
	run_until(l, &fired, NMANY - cancelled, 5000);
	ck_assert_int_eq(fired, NMANY - cancelled);
	ck_assert_int_eq(misorder, 0);
	free(m);
	mem_deref(l);
}
END_TEST

struct fdt {
	struct loop *l;
	int hits;
	char got[16];
	int other_fd;
};

static void on_read(int fd, uint32_t ev, void *arg)
{
	struct fdt *f = arg;
	ssize_t n;

	(void)ev;
	n = read(fd, f->got, sizeof(f->got) - 1);
	if (n > 0)
		f->got[n] = '\0';
	f->hits++;
	/* deleting another ready fd inside a handler: it must not fire */
	loop_fd_del(f->l, f->other_fd);
}

START_TEST(fd_readiness)
{
	struct loop *l = loop_new();
	struct fdt a = { .l = l }, b = { .l = l };
	int p1[2], p2[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, p1), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, p2), 0);
	a.other_fd = p2[0];
	b.other_fd = p1[0];
	ck_assert_int_eq(loop_fd_add(l, p1[0], EPOLLIN, on_read, &a), 0);
	ck_assert_int_eq(loop_fd_add(l, p1[0], EPOLLIN, on_read, &a), -EEXIST);
	ck_assert_int_eq(loop_fd_add(l, p2[0], EPOLLIN, on_read, &b), 0);
	/* nothing ready: poll times out */
	ck_assert_int_eq(loop_poll(l, 10), 0);
	ck_assert_int_eq(write(p1[1], "ping", 4), 4);
	ck_assert_int_eq(write(p2[1], "pong", 4), 4);
	ck_assert_int_eq(loop_poll(l, 100), 1);
	/* exactly one handler ran; it deleted the other fd */
	ck_assert_int_eq(a.hits + b.hits, 1);
	ck_assert_uint_eq(loop_nfds(l), 1);
	ck_assert_int_eq(loop_fd_mod(l, 12345, EPOLLIN), -ENOENT);
	loop_fd_del(l, p1[0]);
	loop_fd_del(l, p2[0]);
	ck_assert_uint_eq(loop_nfds(l), 0);
	for (int i = 0; i < 2; i++) {
		close(p1[i]);
		close(p2[i]);
	}
	mem_deref(l);
}
END_TEST

static void stop_it(void *arg)
{
	loop_stop(arg);
}

START_TEST(run_and_stop)
{
	struct loop *l = loop_new();
	struct tmr t;
	uint64_t t0 = loop_now_ms();

	tmr_init(&t);
	tmr_start(l, &t, 20, stop_it, l);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert(loop_now_ms() - t0 >= 20);
	mem_deref(l);
}
END_TEST

Suite *loop_suite(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tl_tcase(s, "loop");

	tcase_add_test(tc, timer_order);
	tcase_add_test(tc, timer_cancel_restart);
	tcase_add_test(tc, timer_many);
	tcase_add_test(tc, fd_readiness);
	tcase_add_test(tc, run_and_stop);
	return s;
}
