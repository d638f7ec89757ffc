// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/offload core: engine choice, atomic pair install, removal,
 * handoff between engines and summed counters, over the real userspace
 * relay on 127.0.0.1 and a scripted fast engine standing in for XDP (the
 * XDP engine itself is tested by check_offload_xdp and tests/netns).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/media/relay.h"
#include "../../gateway/offload/ofl.h"
#include "tl_check.h"

/* The scripted fast engine: a table of flows, failures on demand. */
static struct fake {
	int init_err;
	unsigned add_fail_at; /* fail the Nth flow_add (1-based); 0 never */
	unsigned adds, dels;
	struct tl_flow_ep have[4];
	unsigned n;
	uint64_t pkts; /* reported by counters() for every flow */
} fk;

static int fake_init(void **st, const struct ofl_params *p)
{
	(void)p;
	*st = &fk;
	return fk.init_err;
}

static int fake_add(void *st, const struct tl_flow *f)
{
	(void)st;
	if (++fk.adds == fk.add_fail_at)
		return -ENOSPC;
	fk.have[fk.n++ & 3] = f->key.local;
	return 0;
}

static int fake_find(const struct tl_flow_ep *l)
{
	for (unsigned i = 0; i < fk.n && i < 4; i++)
		if (!memcmp(&fk.have[i], l, sizeof(*l)))
			return (int)i;
	return -1;
}

static int fake_counters(void *st, const struct tl_flow_ep *l,
			 struct tl_flow_counters *c);

static int fake_del(void *st, const struct tl_flow_ep *l,
		    struct tl_flow_counters *final)
{
	int i = fake_find(l);

	if (i < 0)
		return -ENOENT;
	if (final)
		fake_counters(st, l, final);
	fk.dels++;
	fk.have[i] = fk.have[--fk.n];
	return 0;
}

static int fake_counters(void *st, const struct tl_flow_ep *l,
			 struct tl_flow_counters *c)
{
	(void)st;
	if (fake_find(l) < 0)
		return -ENOENT;
	memset(c, 0, sizeof(*c));
	c->packets = fk.pkts;
	c->bytes = fk.pkts * 172;
	return 0;
}

static void fake_close(void *st)
{
	(void)st;
}

static const struct ofl_ops fake_ops = {
	.name = "xdp", .init = fake_init, .flow_add = fake_add,
	.flow_del = fake_del, .counters = fake_counters, .close = fake_close,
};

static int udp_sock(struct sa *bound)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	ck_assert_int_ge(fd, 0);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&in, sizeof(in)), 0);
	memset(bound, 0, sizeof(*bound));
	bound->len = sizeof(bound->u.ss);
	ck_assert_int_eq(getsockname(fd, &bound->u.sa, &bound->len), 0);
	return fd;
}

/* A <-> [RA relay RB] <-> B, with the offload layer on top */
struct rig {
	struct loop *loop;
	struct media_relay *r;
	struct ofl *o;
	int a, b, ra, rb;
	struct sa sa_a, sa_b, sa_ra, sa_rb;
	struct tl_flow ab, ba;
	unsigned slow;
};

static void slow_h(int fd, const struct sockaddr_storage *src, uint8_t *pkt,
		   size_t len, const struct tl_flow *flow,
		   enum tl_flow_reason why, void *arg)
{
	struct rig *g = arg;

	(void)fd, (void)src, (void)pkt, (void)len, (void)flow, (void)why;
	g->slow++;
}

static void rig_up(struct rig *g, enum ofl_mode mode)
{
	struct ofl_params p = { .mode = mode };

	memset(g, 0, sizeof(*g));
	g->loop = loop_new();
	ck_assert_int_eq(media_relay_new(&g->r, g->loop, slow_h, g), 0);
	g->a = udp_sock(&g->sa_a);
	g->b = udp_sock(&g->sa_b);
	g->ra = udp_sock(&g->sa_ra);
	g->rb = udp_sock(&g->sa_rb);
	ck_assert_int_eq(media_relay_sock_add(g->r, g->ra), 0);
	ck_assert_int_eq(media_relay_sock_add(g->r, g->rb), 0);
	p.relay = g->r;
	ck_assert_int_eq(ofl_new(&g->o, &p, &fake_ops), 0);
	media_flow_init(&g->ab);
	g->ab.id = 1;
	media_flow_ep_from_sa(&g->ab.key.local, &g->sa_ra);
	media_flow_ep_from_sa(&g->ab.key.src, &g->sa_a);
	media_flow_ep_from_sa(&g->ab.action.new_src, &g->sa_rb);
	media_flow_ep_from_sa(&g->ab.action.new_dst, &g->sa_b);
	media_flow_init(&g->ba);
	g->ba.id = 2;
	media_flow_ep_from_sa(&g->ba.key.local, &g->sa_rb);
	media_flow_ep_from_sa(&g->ba.key.src, &g->sa_b);
	media_flow_ep_from_sa(&g->ba.action.new_src, &g->sa_ra);
	media_flow_ep_from_sa(&g->ba.action.new_dst, &g->sa_a);
}

static void rig_down(struct rig *g)
{
	g->o = mem_deref(g->o);
	g->r = mem_deref(g->r);
	close(g->a);
	close(g->b);
	close(g->ra);
	close(g->rb);
	g->loop = mem_deref(g->loop);
}

/* Send one RTP packet A -> RA, run the relay; true if B got it. */
static bool a_to_b(struct rig *g, uint16_t seq)
{
	uint8_t p[172] = { 0x80, 0, (uint8_t)(seq >> 8), (uint8_t)seq };
	uint8_t in[256];

	ck_assert_int_eq(sendto(g->a, p, sizeof(p), 0, &g->sa_ra.u.sa,
				g->sa_ra.len),
			 (ssize_t)sizeof(p));
	ck_assert_int_eq(media_relay_input(g->r, g->ra, 0), 1);
	return recv(g->b, in, sizeof(in), MSG_DONTWAIT) == 172 &&
	       in[3] == (uint8_t)seq;
}

START_TEST(test_auto_fallback)
{
	struct rig g;

	memset(&fk, 0, sizeof(fk));
	fk.init_err = -EOPNOTSUPP;
	rig_up(&g, OFL_AUTO);
	ck_assert_str_eq(ofl_engine(g.o), "relay");
	ck_assert_int_eq(ofl_pair_install(g.o, &g.ab, &g.ba), 0);
	ck_assert(a_to_b(&g, 1));
	ck_assert_int_eq(ofl_pair_offload(g.o, &g.ab.key.local,
					  &g.ba.key.local, true),
			 -EOPNOTSUPP);
	rig_down(&g);

	memset(&fk, 0, sizeof(fk));
	rig_up(&g, OFL_OFF);
	ck_assert_str_eq(ofl_engine(g.o), "relay");
	rig_down(&g);
}
END_TEST

START_TEST(test_pair_atomic)
{
	struct ofl_stats s;
	struct tl_flow bad;
	struct rig g;

	memset(&fk, 0, sizeof(fk));
	rig_up(&g, OFL_XDP);
	ck_assert_str_eq(ofl_engine(g.o), "xdp");

	/* one bad direction: nothing is installed anywhere */
	bad = g.ba;
	bad.action.pad1 = 1;
	ck_assert_int_eq(ofl_pair_install(g.o, &g.ab, &bad), -EINVAL);
	ck_assert_int_eq(ofl_flow_stats(g.o, &g.ab.key.local, &s), -ENOENT);
	ck_assert(!a_to_b(&g, 2));
	ck_assert_uint_eq(g.slow, 1);

	/* the fast engine refuses the second direction: both stay on the
	 * relay, none is left in the fast engine */
	fk.add_fail_at = 2;
	ck_assert_int_eq(ofl_pair_install(g.o, &g.ab, &g.ba), 0);
	ck_assert_uint_eq(fk.n, 0);
	ck_assert_int_eq(ofl_flow_stats(g.o, &g.ba.key.local, &s), 0);
	ck_assert_str_eq(s.engine, "relay");
	ck_assert(a_to_b(&g, 3));
	ck_assert_int_eq(ofl_pair_install(g.o, &g.ab, &g.ba), -EEXIST);

	/* handoff onto the fast engine and back, counters kept */
	fk.add_fail_at = 0;
	ck_assert_int_eq(ofl_pair_offload(g.o, &g.ab.key.local,
					  &g.ba.key.local, true),
			 0);
	ck_assert_uint_eq(fk.n, 2);
	fk.pkts = 5;
	ck_assert_int_eq(ofl_flow_stats(g.o, &g.ab.key.local, &s), 0);
	ck_assert_str_eq(s.engine, "xdp");
	ck_assert_uint_eq(s.packets, 6); /* 1 relayed + 5 fast */
	ck_assert_uint_eq(s.fast.packets, 5);
	ck_assert_uint_eq(s.slow.packets, 1);
	ck_assert_int_eq(ofl_pair_offload(g.o, &g.ab.key.local,
					  &g.ba.key.local, false),
			 0);
	ck_assert_uint_eq(fk.n, 0);
	ck_assert(a_to_b(&g, 4));
	ck_assert_int_eq(ofl_flow_stats(g.o, &g.ab.key.local, &s), 0);
	ck_assert_str_eq(s.engine, "relay");
	ck_assert_uint_eq(s.packets, 7);
	ck_assert_uint_ge(s.last_ns, 1);

	/* removal: both directions, every engine, at once */
	ck_assert_int_eq(ofl_pair_offload(g.o, &g.ab.key.local,
					  &g.ba.key.local, true),
			 0);
	ck_assert_int_eq(ofl_pair_remove(g.o, &g.ab.key.local,
					 &g.ba.key.local),
			 0);
	ck_assert_uint_eq(fk.n, 0);
	g.slow = 0;
	ck_assert(!a_to_b(&g, 5));
	ck_assert_uint_eq(g.slow, 1);
	ck_assert_int_eq(ofl_pair_remove(g.o, &g.ab.key.local,
					 &g.ba.key.local),
			 -ENOENT);
	rig_down(&g);
}
END_TEST

static int count_h(const struct tl_flow *f, const struct ofl_stats *s,
		   void *arg)
{
	unsigned *n = arg;

	(void)s;
	*n += f->id;
	return 0;
}

START_TEST(test_foreach_srtp_stays)
{
	struct ofl_stats s;
	unsigned sum = 0;
	struct rig g;

	memset(&fk, 0, sizeof(fk));
	rig_up(&g, OFL_AUTO);
	/* SRTP flows are refused by XDP: the fake says -ENOSPC for any */
	fk.add_fail_at = 1;
	ck_assert_int_eq(ofl_pair_install(g.o, &g.ab, &g.ba), 0);
	ck_assert_int_eq(ofl_flow_stats(g.o, &g.ab.key.local, &s), 0);
	ck_assert_str_eq(s.engine, "relay");
	ck_assert_int_eq(ofl_flow_foreach(g.o, count_h, &sum), 0);
	ck_assert_uint_eq(sum, 3);
	rig_down(&g);
}
END_TEST

Suite *offload_suite(void)
{
	Suite *s = suite_create("offload");
	TCase *tc = tl_tcase(s, "core");

	tcase_add_test(tc, test_auto_fallback);
	tcase_add_test(tc, test_pair_atomic);
	tcase_add_test(tc, test_foreach_srtp_stays);
	return s;
}
