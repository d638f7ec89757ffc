// SPDX-License-Identifier: GPL-2.0
/*
 * The relay's io_uring I/O path. At K streams an epoll relay sees about
 * one packet per socket per wake-up, so it pays epoll_wait + recvmmsg +
 * sendmmsg for each packet. Here every served socket has one multishot
 * recvmsg armed on one ring, receiving into a ring of provided buffers;
 * each loop wake-up reaps the receive completions of all sockets, runs
 * them through the same relay_decide() as the epoll path, queues the
 * forwarded packets as send SQEs (with a destination, like sendto) from
 * their receive buffer, and
 * submits them together. A buffer goes back to the kernel when its send
 * completes (or at once when the packet is punted or dropped).
 *
 * The ring is DEFER_TASKRUN: the kernel does the receives only inside our
 * io_uring_enter(), so they are batched with the sends and never
 * interrupt the loop. Such a ring's own fd does not wake an epoll_wait()
 * when work is queued for it, but a registered eventfd is signalled when
 * that work list goes from empty to not: that eventfd is on the loop,
 * edge-triggered and never read (a counter read would be one more system
 * call per wake-up). While a wake-up runs, the eventfd is switched off
 * (a flag in the shared ring), so the completions of our own sends do
 * not cause another wake-up; before returning, whatever is left (work
 * queued meanwhile, flagged by IORING_SQ_TASKRUN, or completions beyond
 * the wake-up's budget) makes it signal itself, so nothing is stranded.
 *
 * Coalescing (media_relay_set_coalesce): a wake-up by the eventfd that
 * comes less than one period after the previous one (packets arrive
 * faster than the period) leaves the eventfd off and starts a periodic
 * timerfd; each tick runs the ring like a wake-up, and two empty ticks
 * in a row stop the timer and turn the eventfd back on (with the same
 * check for work left). While ticking, a packet waits at most one
 * period, and every packet that came in it is handled by one pass: one
 * wake-up, a timerfd read and two io_uring_enter() for all of them.
 * Wake-ups further apart than the period never start the timer: a few
 * quiet calls pay neither ticks nor added delay.
 *
 * Bounds, none of which blocks: buffer exhaustion ends a socket's
 * multishot receive with -ENOBUFS; the packets stay in the socket and it
 * is re-armed, in the order the receives ended, once buffers return. A
 * full SQ is submitted early. Sends use MSG_DONTWAIT, so a full socket
 * buffer fails the send (counted as drop[TL_FLOW_R_TX], as on the epoll
 * path) instead of parking it. Each wake-up handles at most
 * RU_WAKE_MAX receive completions; completions are handled in the order
 * the kernel produced them, which interleaves the sockets by arrival.
 */
#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "../base/loop.h"
#include "../base/mem.h"
#include "relay_priv.h"

#define LOG_TAG "relay"
#include "../base/log.h"

#define RU_SQ 512
#define RU_CQ 4096
/* buffers in flight: received and not yet sent (a power of two) */
#define RU_NBUF 1024
#define RU_BGID 1
/*
 * Receive buffer layout: struct io_uring_recvmsg_out (16), the source
 * address (RU_NAME octets reserved, enough for sockaddr_in6), then the
 * packet at a 64-octet boundary with RELAY_ROOM octets of room; the
 * kernel is told only RELAY_PKT_MAX of it, so a longer datagram is
 * truncated (and dropped) and the SRTP tag always fits.
 */
#define RU_NAME 48
#define RU_HDR (sizeof(struct io_uring_recvmsg_out) + RU_NAME)
#define RU_STRIDE ((RU_HDR + RELAY_ROOM + 63) & ~(size_t)63)
/* the buffers' area, a whole number of 2 MiB huge pages */
#define RU_HUGE ((size_t)2 << 20)
#define RU_BUFS_SIZE ((RU_NBUF * RU_STRIDE + RU_HUGE - 1) & ~(RU_HUGE - 1))
#define RU_CQE_BATCH 64
/* receive completions per wake-up, so the loop's other fds get a turn */
#define RU_WAKE_MAX 1024
#define RU_ROUNDS 16
/* coalescing: empty ticks in a row that end the polling mode */
#define RU_IDLE_TICKS 2

/* user_data: kind in the top byte; receive: generation and socket slot;
 * send: buffer id */
#define RU_K_RECV 1ull
#define RU_K_SEND 2ull
#define RU_K_CANCEL 3ull
#define RU_KIND(u) ((u) >> 56)
#define RU_GEN_MASK 0xffffffu

_Static_assert(sizeof(struct io_uring_recvmsg_out) + RU_NAME == 64,
	       "packet at a 64-octet boundary");
_Static_assert(RU_NAME >= sizeof(struct sockaddr_in6), "address room");

struct ru_sock {
	struct rsock *s; /* borrowed; NULL when the slot is free */
	uint32_t gen;	 /* bumped when freed: late completions are stale */
	bool armed;	 /* a multishot receive is live (or queued) */
	bool rearm;	 /* on the re-arm list */
};

/* One buffer's send: what its completion needs */
struct ru_send {
	struct rflow *fl; /* owned reference while the send is in flight */
	uint32_t len;
};

struct relay_uring {
	struct media_relay *r; /* borrowed: the owner */
	struct io_uring ring;
	bool ring_up;
	int efd;		      /* the wake-up eventfd, -1 none */
	struct io_uring_buf_ring *br; /* mmap()ed */
	size_t br_size;
	uint8_t *bufs; /* RU_NBUF * RU_STRIDE in map */
	void *map;     /* mmap()ed: bufs, aligned to a huge page */
	size_t map_size;
	unsigned nret;	      /* buffers added to br since the last advance */
	unsigned held;	      /* buffers the kernel gave us, not yet back */
	struct msghdr rmsg;   /* the multishot receives' template */
	struct ru_send *send; /* [RU_NBUF] */
	struct ru_sock *tab;
	uint32_t ntab;
	/* sockets whose multishot receive ended: re-armed FIFO */
	uint32_t *rearm;
	uint32_t nrearm;
	/* the socket media_relay_input() counts for */
	struct rsock *count_s;
	unsigned counted;
	/* coalescing (media_relay_set_coalesce): a periodic timer drives
	 * the ring while packets keep coming; 0 = off */
	unsigned coalesce_us;
	int tfd;      /* the tick timerfd, -1 none */
	bool polling; /* ticking: the eventfd is off */
	unsigned idle;	/* empty ticks in a row */
	uint64_t last_wake; /* relay_now_ns() of the last eventfd wake-up */
};

/* Submit what is queued; counted: each is an io_uring_enter(). */
static int submit(struct relay_uring *u)
{
	u->r->st.syscalls++;
	return io_uring_submit(&u->ring);
}

/* Submit and run the kernel's pending work (receives, completions). */
static int submit_get(struct relay_uring *u)
{
	u->r->st.syscalls++;
	return io_uring_submit_and_get_events(&u->ring);
}

static uint8_t *buf_at(struct relay_uring *u, unsigned bid)
{
	return u->bufs + (size_t)bid * RU_STRIDE;
}

static void buf_return(struct relay_uring *u, unsigned bid)
{
	io_uring_buf_ring_add(
	    u->br, buf_at(u, bid), (unsigned)(RU_HDR + RELAY_PKT_MAX),
	    (unsigned short)bid, io_uring_buf_ring_mask(RU_NBUF), (int)u->nret);
	u->nret++;
	u->held--;
}

/* Make the returned buffers visible to the kernel. */
static void buf_publish(struct relay_uring *u)
{
	if (u->nret) {
		io_uring_buf_ring_advance(u->br, (int)u->nret);
		u->nret = 0;
	}
}

/* An SQE, submitting what is queued if the SQ is full; NULL if even
 * that fails. */
static struct io_uring_sqe *sqe_get(struct relay_uring *u)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

	if (!sqe) {
		u->r->st.sq_full++;
		submit(u);
		sqe = io_uring_get_sqe(&u->ring);
	}
	return sqe;
}

static int arm(struct relay_uring *u, uint32_t slot)
{
	struct ru_sock *t = &u->tab[slot];
	struct io_uring_sqe *sqe = sqe_get(u);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_recvmsg_multishot(sqe, t->s->fd, &u->rmsg, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = RU_BGID;
	io_uring_sqe_set_data64(
	    sqe,
	    RU_K_RECV << 56 | (uint64_t)(t->gen & RU_GEN_MASK) << 32 | slot);
	t->armed = true;
	return 0;
}

/*
 * Re-arm the receives that ended, oldest first, at most one per buffer
 * the kernel has free: a receive armed with none would only end again
 * with -ENOBUFS, and when more sockets wait than there are buffers that
 * turns into a storm of SQEs and CQEs that move no packet.
 */
static void rearm_all(struct relay_uring *u)
{
	unsigned free = RU_NBUF - u->held;
	uint32_t done = 0;

	while (done < u->nrearm) {
		struct ru_sock *t = &u->tab[u->rearm[done]];

		/* a slot freed and reused meanwhile was armed when added */
		if (t->s && !t->armed) {
			if (!free || arm(u, u->rearm[done]))
				break;
			free--;
		}
		t->rearm = false;
		done++;
	}
	memmove(u->rearm, u->rearm + done,
		(u->nrearm - done) * sizeof(*u->rearm));
	u->nrearm -= done;
}

static void send_done(struct relay_uring *u, unsigned bid, int res)
{
	struct ru_send *sd = &u->send[bid];

	if (sd->fl) {
		if (res >= 0) {
			sd->fl->c.packets++;
			sd->fl->c.bytes += sd->len;
		} else {
			sd->fl->c.drop[TL_FLOW_R_TX]++;
		}
		sd->fl = mem_deref(sd->fl);
	}
	buf_return(u, bid);
}

/* Queue the forwarded packet @p (@len) in buffer @bid on @fl's egress. */
static void forward(struct relay_uring *u, struct rflow *fl, unsigned bid,
		    uint8_t *p, size_t len)
{
	struct ru_send *sd = &u->send[bid];
	struct io_uring_sqe *sqe = sqe_get(u);

	if (!sqe) {
		fl->c.drop[TL_FLOW_R_TX]++;
		buf_return(u, bid);
		return;
	}
	sd->fl = mem_ref(fl);
	sd->len = (uint32_t)len;
	/* a send with a destination (sendto), Linux >= 6.0: no msghdr and
	 * iovec for the kernel to copy in */
	io_uring_prep_send(sqe, fl->out->fd, p, len, MSG_DONTWAIT);
	sqe->addr2 = (uint64_t)(uintptr_t)&fl->dst;
	sqe->addr_len = (uint16_t)fl->dst_len;
	io_uring_sqe_set_data64(sqe, RU_K_SEND << 56 | bid);
}

static void recv_done(struct media_relay *r, uint64_t ud, int res,
		      unsigned flags, uint64_t now)
{
	struct relay_uring *u = r->u;
	uint32_t slot = (uint32_t)ud, gen = (uint32_t)(ud >> 32) & RU_GEN_MASK;
	struct ru_sock *t = slot < u->ntab ? &u->tab[slot] : NULL;
	bool live = t && t->s && (t->gen & RU_GEN_MASK) == gen;
	struct io_uring_recvmsg_out *o;
	struct sockaddr_storage src;
	enum tl_flow_reason why;
	unsigned bid;
	struct rsock *s;
	uint8_t *p;
	size_t len;

	if (live && !(flags & IORING_CQE_F_MORE)) {
		/* the multishot receive ended: arm it again */
		t->armed = false;
		if (res == -ENOBUFS)
			r->st.nobufs++;
		else if (res < 0)
			LOGW("fd %d: %s", t->s->fd, strerror(-res));
		if (!t->rearm) {
			t->rearm = true;
			u->rearm[u->nrearm++] = slot;
		}
	}
	if (!(flags & IORING_CQE_F_BUFFER))
		return;
	u->held++;
	bid = flags >> IORING_CQE_BUFFER_SHIFT;
	o = io_uring_recvmsg_validate(buf_at(u, bid), res, &u->rmsg);
	if (!live || !o) {
		buf_return(u, bid);
		return;
	}
	s = t->s;
	memset(&src, 0, sizeof(src));
	memcpy(&src, io_uring_recvmsg_name(o),
	       o->namelen < RU_NAME ? o->namelen : RU_NAME);
	p = io_uring_recvmsg_payload(o, &u->rmsg);
	len = io_uring_recvmsg_payload_length(o, res, &u->rmsg);
	if (s == u->count_s)
		u->counted++;
	switch (
	    relay_decide(s, &src, p, &len, o->flags & MSG_TRUNC, now, &why)) {
	case RELAY_DROP:
		break;
	case RELAY_PUNT:
		/* keep the order of packets: what was forwarded goes first */
		if (io_uring_sq_ready(&u->ring))
			submit(u);
		relay_punt(r, s, &src, p, len, why);
		break;
	case RELAY_FORWARD:
		forward(u, s->flow, bid, p, len);
		return;
	}
	buf_return(u, bid);
}

/* Handle up to @max receive completions of those ready; the number of
 * completions of any kind handled. */
static unsigned reap(struct media_relay *r, unsigned max, unsigned *nrecv)
{
	struct relay_uring *u = r->u;
	struct io_uring_cqe *cqe[RU_CQE_BATCH];
	unsigned total = 0;

	*nrecv = 0;
	while (*nrecv < max) {
		unsigned n =
		    io_uring_peek_batch_cqe(&u->ring, cqe, RU_CQE_BATCH);
		uint64_t now;

		if (!n)
			break;
		now = relay_now_ns();
		for (unsigned i = 0; i < n; i++) {
			uint64_t ud = io_uring_cqe_get_data64(cqe[i]);

			switch (RU_KIND(ud)) {
			case RU_K_RECV:
				recv_done(r, ud, cqe[i]->res, cqe[i]->flags,
					  now);
				++*nrecv;
				break;
			case RU_K_SEND:
				send_done(u, (unsigned)ud & (RU_NBUF - 1),
					  cqe[i]->res);
				break;
			default:
				break;
			}
		}
		io_uring_cq_advance(&u->ring, n);
		total += n;
		buf_publish(u);
	}
	return total;
}

/*
 * Turn the ring's eventfd back on; if work is left (queued meanwhile,
 * flagged by IORING_SQ_TASKRUN, completions beyond a wake-up's budget,
 * receives to re-arm), signal it, so that the loop comes back after its
 * other fds had their turn.
 */
static void notify_on(struct relay_uring *u)
{
	io_uring_cq_eventfd_toggle(&u->ring, true);
	/* pairs with the kernel's: queue work, then test the eventfd flag */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (io_uring_cq_ready(&u->ring) || u->nrearm ||
	    (IO_URING_READ_ONCE(*u->ring.sq.kflags) & IORING_SQ_TASKRUN)) {
		eventfd_write(u->efd, 1);
		u->r->st.syscalls++;
	}
}

/*
 * One wake-up: enter the kernel (submit what is queued, let it receive),
 * handle the completions, and again while receives keep coming, within
 * @max receive completions. Two io_uring_enter() when a wake-up brings
 * one burst: one to receive, one to send (whose completions are ready
 * when it returns). The receive completions handled, or -errno.
 */
static int run(struct media_relay *r, unsigned max)
{
	struct relay_uring *u = r->u;
	unsigned done = 0;
	int err = 0;

	mem_ref(r);
	io_uring_cq_eventfd_toggle(&u->ring, false);
	for (unsigned round = 0; round < RU_ROUNDS; round++) {
		unsigned nrecv;
		int n = submit_get(u);

		if (n < 0 && n != -EINTR && n != -EAGAIN && n != -EBUSY) {
			err = n;
			break;
		}
		reap(r, max - done, &nrecv);
		done += nrecv;
		rearm_all(u);
		if (done >= max)
			break;
		/* sends completed and nothing new: done until the next
		 * wake-up; receives that keep coming are taken now */
		if (!nrecv && !io_uring_sq_ready(&u->ring))
			break;
	}
	/* the last round's sends and re-arms go now */
	if (io_uring_sq_ready(&u->ring))
		submit(u);
	/* while ticking, the next tick takes what comes */
	if (!u->polling)
		notify_on(u);
	mem_deref(r);
	return err ? err : (int)done;
}

/* Start (every coalesce_us) or stop the tick timer; 0 or -errno. */
static int tick_set(struct relay_uring *u, bool on)
{
	long ns = on ? (long)u->coalesce_us * 1000 : 0;
	struct timespec ts = {.tv_sec = ns / 1000000000,
			      .tv_nsec = ns % 1000000000};
	struct itimerspec it = {.it_value = ts, .it_interval = ts};

	u->r->st.syscalls++;
	return timerfd_settime(u->tfd, 0, &it, NULL) ? -errno : 0;
}

/* Stop ticking: wait on the eventfd again (signalled if work is left). */
static void tick_stop(struct relay_uring *u)
{
	u->polling = false;
	tick_set(u, false);
	notify_on(u);
}

/* A tick while polling: take what came; stop after RU_IDLE_TICKS empty
 * ones, and wait on the eventfd again. */
static void tick(int fd, uint32_t events, void *arg)
{
	struct media_relay *r = arg;
	struct relay_uring *u = r->u;
	uint64_t ticks;
	int n;

	(void)events;
	/* a periodic timerfd runs on only once its expiries are read */
	if (read(fd, &ticks, sizeof(ticks)) < 0 || !u->polling)
		return;
	r->st.wakeups++;
	r->st.syscalls++;
	/* @u is used after the run: keep the relay (its owner) alive */
	mem_ref(r);
	n = run(r, RU_WAKE_MAX);
	if (n < 0)
		LOGW("io_uring: %s", strerror(-n));
	if (n > 0)
		u->idle = 0;
	else if (++u->idle >= RU_IDLE_TICKS)
		tick_stop(u);
	mem_deref(r);
}

static void ring_wake(int fd, uint32_t events, void *arg)
{
	struct media_relay *r = arg;
	struct relay_uring *u = r->u;
	int err;

	(void)fd, (void)events;
	r->st.wakeups++;
	/* packets are handled at once; when wake-ups come closer together
	 * than the period, the next ones are taken by the ticks (the
	 * eventfd stays off meanwhile) */
	if (u->coalesce_us && !u->polling) {
		uint64_t now = relay_now_ns();

		if (now - u->last_wake < (uint64_t)u->coalesce_us * 1000 &&
		    !tick_set(u, true)) {
			u->polling = true;
			u->idle = 0;
			r->st.polls++;
		}
		u->last_wake = now;
	}
	err = run(r, RU_WAKE_MAX);
	if (err < 0)
		LOGW("io_uring: %s", strerror(-err));
}

int relay_uring_input(struct media_relay *r, struct rsock *s)
{
	struct relay_uring *u = r->u;
	int err;

	u->count_s = s;
	u->counted = 0;
	err = run(r, ~0u);
	u->count_s = NULL;
	return err < 0 ? err : (int)u->counted;
}

int relay_uring_sock_add(struct media_relay *r, struct rsock *s)
{
	struct relay_uring *u = r->u;
	uint32_t slot;
	int err;

	for (slot = 0; slot < u->ntab && u->tab[slot].s; slot++)
		;
	if (slot == u->ntab) {
		uint32_t n = u->ntab ? 2 * u->ntab : 64;
		struct ru_sock *tab = realloc(u->tab, n * sizeof(*tab));
		uint32_t *re;

		if (!tab)
			return -ENOMEM;
		u->tab = tab;
		re = realloc(u->rearm, n * sizeof(*re));
		if (!re)
			return -ENOMEM;
		u->rearm = re;
		memset(tab + u->ntab, 0, (n - u->ntab) * sizeof(*tab));
		u->ntab = n;
	}
	u->tab[slot].s = s;
	s->slot = slot;
	err = arm(u, slot);
	if (!err) {
		err = submit(u);
		err = err < 0 ? err : 0;
	}
	if (err) {
		/* a queued receive, if any, completes as stale */
		u->tab[slot].s = NULL;
		u->tab[slot].armed = false;
		u->tab[slot].gen++;
	}
	return err;
}

void relay_uring_sock_del(struct media_relay *r, struct rsock *s)
{
	struct relay_uring *u = r->u;
	struct ru_sock *t = &u->tab[s->slot];
	struct io_uring_sqe *sqe;

	if (t->armed) {
		sqe = sqe_get(u);
		if (sqe) {
			io_uring_prep_cancel64(
			    sqe,
			    RU_K_RECV << 56 |
				(uint64_t)(t->gen & RU_GEN_MASK) << 32 |
				s->slot,
			    0);
			io_uring_sqe_set_data64(sqe, RU_K_CANCEL << 56);
			/* and run the cancel now: the request holds the
			 * socket, whose owner may close it and bind its
			 * port again at once */
			submit_get(u);
		}
	}
	/* completions still to come for it are stale from here on */
	t->s = NULL;
	t->armed = false;
	t->gen++;
}

int relay_uring_new(struct media_relay *r)
{
	struct io_uring_params p = {
	    .flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER |
		     IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
	    .cq_entries = RU_CQ,
	};
	struct io_uring_buf_reg reg = {.ring_entries = RU_NBUF,
				       .bgid = RU_BGID};
	struct relay_uring *u;
	int err;

	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	r->u = u;
	u->r = r;
	u->efd = -1;
	u->tfd = -1;
	u->send = calloc(RU_NBUF, sizeof(*u->send));
	if (!u->send) {
		err = -ENOMEM;
		goto err;
	}
	err = io_uring_queue_init_params(RU_SQ, &u->ring, &p);
	if (err)
		goto err;
	u->ring_up = true;
	u->br_size = RU_NBUF * sizeof(struct io_uring_buf);
	u->br = mmap(NULL, u->br_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/*
	 * The buffers on transparent huge pages where the system allows it:
	 * the kernel and we touch a few lines in each of RU_NBUF buffers
	 * spread over megabytes, which on 4 KiB pages costs a TLB miss for
	 * nearly every packet.
	 */
	u->map_size = RU_BUFS_SIZE + RU_HUGE;
	u->map = mmap(NULL, u->map_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (u->br == MAP_FAILED || u->map == MAP_FAILED) {
		err = -ENOMEM;
		goto err;
	}
	u->bufs = (uint8_t *)(((uintptr_t)u->map + RU_HUGE - 1) &
			      ~(uintptr_t)(RU_HUGE - 1));
	madvise(u->bufs, RU_BUFS_SIZE, MADV_HUGEPAGE);
	io_uring_buf_ring_init(u->br);
	reg.ring_addr = (uint64_t)(uintptr_t)u->br;
	err = io_uring_register_buf_ring(&u->ring, &reg, 0);
	if (err)
		goto err;
	u->held = RU_NBUF;
	for (unsigned i = 0; i < RU_NBUF; i++)
		buf_return(u, i);
	buf_publish(u);
	u->rmsg.msg_namelen = RU_NAME;
	u->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (u->efd < 0) {
		err = -errno;
		goto err;
	}
	err = io_uring_register_eventfd(&u->ring, u->efd);
	if (!err)
		err = loop_fd_add(r->loop, u->efd, EPOLLIN | EPOLLET, ring_wake,
				  r);
	if (err)
		goto err;
	return 0;
err:
	relay_uring_free(r);
	return err;
}

void relay_uring_free(struct media_relay *r)
{
	struct relay_uring *u = r->u;

	if (u->efd >= 0) {
		loop_fd_del(r->loop, u->efd);
		close(u->efd);
	}
	if (u->tfd >= 0) {
		loop_fd_del(r->loop, u->tfd);
		close(u->tfd);
	}
	if (u->ring_up)
		/* cancels what is in flight: no completion comes after */
		io_uring_queue_exit(&u->ring);
	if (u->br && u->br != MAP_FAILED)
		munmap(u->br, u->br_size);
	if (u->map && u->map != MAP_FAILED)
		munmap(u->map, u->map_size);
	for (unsigned i = 0; u->send && i < RU_NBUF; i++)
		mem_deref(u->send[i].fl);
	free(u->send);
	free(u->tab);
	free(u->rearm);
	free(u);
	r->u = NULL;
}

int relay_uring_set_coalesce(struct media_relay *r, unsigned us)
{
	struct relay_uring *u = r->u;
	int err;

	if (us && u->tfd < 0) {
		u->tfd = timerfd_create(CLOCK_MONOTONIC,
					TFD_NONBLOCK | TFD_CLOEXEC);
		if (u->tfd < 0)
			return -errno;
		err = loop_fd_add(r->loop, u->tfd, EPOLLIN, tick, r);
		if (err) {
			close(u->tfd);
			u->tfd = -1;
			return err;
		}
	}
	u->coalesce_us = us;
	if (u->polling && !us)
		tick_stop(u);
	else if (u->polling)
		tick_set(u, true);
	return 0;
}

unsigned relay_uring_coalesce(const struct media_relay *r)
{
	return r->u->coalesce_us;
}
