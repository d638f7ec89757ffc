// SPDX-License-Identifier: GPL-2.0
/* gateway/sip/transp: UDP and TCP on real loopback sockets (IPv4, IPv6),
 * stream framing, size limits, response routing (RFC 3261 18.2, 3581). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/sip/transp.h"
#include "tl_check.h"

struct got {
	int n;
	char callid[8][32];
	enum sip_tp tp[8];
	int bad;
	bool echo;		/* answer each request 200 */
	struct sip_transp *t;	/* borrowed */
	int fails;		/* outgoing connections that never came up */
	int fail_err;
	enum sip_tp fail_tp;
	struct sa fail_peer;
};

static void on_msg(struct sip_msg *m, const struct sip_src *src, void *arg)
{
	struct got *g = arg;

	if (g->n < 8) {
		strv_copy(m->call_id, g->callid[g->n], sizeof(g->callid[0]));
		g->tp[g->n] = src->tp;
	}
	g->n++;
	if (g->echo && m->req) {
		struct buf b = { 0 };
		struct sip_resp_params rp = { .scode = 200,
					      .to_tag = STRV("t1") };

		ck_assert_int_eq(sip_transp_resp_print(&b, m, src, &rp), 0);
		ck_assert_int_eq(sip_transp_send_resp(g->t, m, src, b.data,
						      b.len),
				 0);
		buf_free(&b);
	}
}

static void on_bad(const void *d, size_t l, const struct sip_perr *e,
		   const struct sip_src *src, void *arg)
{
	struct got *g = arg;

	(void)d;
	(void)l;
	(void)e;
	(void)src;
	g->bad++;
}

static void on_fail(enum sip_tp tp, const struct sa *peer, int err,
		    void *arg)
{
	struct got *g = arg;

	g->fails++;
	g->fail_err = err;
	g->fail_tp = tp;
	g->fail_peer = *peer;
}

static void pump(struct loop *l, const int *n, int want, int max_ms)
{
	uint64_t end = loop_now_ms() + (uint64_t)max_ms;

	while ((!n || *n < want) && loop_now_ms() < end)
		loop_poll(l, 5);
}

static int req(char *out, size_t n, const char *tp, const char *sent_by,
	       const char *via_extra, const char *callid, const char *method)
{
	return snprintf(out, n,
			"%s sip:gw@example.net SIP/2.0\r\n"
			"Via: SIP/2.0/%s %s;branch=z9hG4bK-%s%s\r\n"
			"Max-Forwards: 70\r\n"
			"From: <sip:a@example.net>;tag=f1\r\n"
			"To: <sip:gw@example.net>\r\n"
			"Call-ID: %s\r\n"
			"CSeq: 1 %s\r\n"
			"Content-Length: 0\r\n\r\n",
			method, tp, sent_by, callid, via_extra, callid,
			method);
}

static struct sip_transp *mk(struct loop *l, struct got *g, size_t max_msg)
{
	struct sip_transp_params p = { .max_msg = max_msg,
				       .server = "unit" };
	struct sip_transp *t = NULL;

	ck_assert_int_eq(sip_transp_new(&t, l, &p, on_msg, g), 0);
	sip_transp_set_bad_h(t, on_bad);
	sip_transp_set_fail_h(t, on_fail);
	g->t = t;
	return t;
}

static struct sa listen_on(struct sip_transp *t, enum sip_tp tp,
			   const char *ip)
{
	struct sa a;
	enum sip_tp got;
	size_t i = sip_transp_nlisteners(t);

	ck_assert_int_eq(sa_set_ip(&a, ip, 0), 0);
	ck_assert_int_eq(sip_transp_listen(t, tp, &a), 0);
	ck_assert_int_eq(sip_transp_listener(t, i, &got, &a), 0);
	ck_assert_int_eq(got, tp);
	ck_assert_uint_ne(sa_port(&a), 0);
	return a;
}

/* a client socket bound to @ip, its address in @me */
static int client(int type, const char *ip, struct sa *me)
{
	int fd = socket(strchr(ip, ':') ? AF_INET6 : AF_INET, type, 0);
	socklen_t len = sizeof(me->u);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(sa_set_ip(me, ip, 0), 0);
	ck_assert_int_eq(bind(fd, &me->u.sa, me->len), 0);
	ck_assert_int_eq(getsockname(fd, &me->u.sa, &len), 0);
	me->len = len;
	return fd;
}

static ssize_t recv_wait(struct loop *l, int fd, char *buf, size_t n)
{
	uint64_t end = loop_now_ms() + 2000;
	ssize_t r;

	do {
		loop_poll(l, 5);
		r = recv(fd, buf, n - 1, MSG_DONTWAIT);
	} while (r < 0 && errno == EAGAIN && loop_now_ms() < end);
	if (r >= 0)
		buf[r] = '\0';
	return r;
}

static void udp_case(const char *ip)
{
	struct loop *l = loop_new();
	struct got g = { .echo = true };
	struct sip_transp *t = mk(l, &g, 0);
	struct sa srv = listen_on(t, SIP_TP_UDP, ip), me;
	int fd = client(SOCK_DGRAM, ip, &me);
	char m[1024], r[2048], sent_by[64], want[128], ms[SA_STRLEN];
	struct sip_transp_stats st;

	/* sent-by names another port: rport must send back to the source */
	sa_str(&me, ms, sizeof(ms));
	*strrchr(ms, ':') = '\0';
	snprintf(sent_by, sizeof(sent_by), "%s:9", ms);
	req(m, sizeof(m), "UDP", sent_by, ";rport", "u1", "OPTIONS");
	ck_assert_int_gt(sendto(fd, m, strlen(m), 0, &srv.u.sa, srv.len), 0);
	ck_assert_int_gt(recv_wait(l, fd, r, sizeof(r)), 0);
	ck_assert_int_eq(g.n, 1);
	ck_assert_str_eq(g.callid[0], "u1");
	ck_assert_int_eq(g.tp[0], SIP_TP_UDP);
	ck_assert_ptr_nonnull(strstr(r, "SIP/2.0 200 OK\r\n"));
	snprintf(want, sizeof(want), ";rport=%u\r\n", sa_port(&me));
	ck_assert_msg(strstr(r, want), "no %s in %s", want, r);
	ck_assert_ptr_nonnull(strstr(r, "To: <sip:gw@example.net>;tag=t1"));
	sip_transp_stats(t, &st);
	ck_assert_uint_eq(st.rx_msgs, 1);
	ck_assert_uint_eq(st.tx_msgs, 1);
	close(fd);
	mem_deref(t);
	mem_deref(l);
}

START_TEST(udp_v4)
{
	udp_case("127.0.0.1");
}
END_TEST

START_TEST(udp_v6)
{
	udp_case("::1");
}
END_TEST

/* unparseable datagrams: an answerable one gets 400 naming the fault,
 * the rest are dropped and counted */
START_TEST(udp_bad)
{
	struct loop *l = loop_new();
	struct got g = { 0 };
	struct sip_transp *t = mk(l, &g, 0);
	struct sa srv = listen_on(t, SIP_TP_UDP, "127.0.0.1"), me;
	int fd = client(SOCK_DGRAM, "127.0.0.1", &me);
	char m[1024], r[2048], sb[SA_STRLEN], *p;
	static const char junk[] = "this is not SIP at all\r\n\r\n";
	struct sip_transp_stats st;

	req(m, sizeof(m), "UDP", sa_str(&me, sb, sizeof(sb)), "", "b1",
	    "OPTIONS");
	p = strstr(m, "CSeq: 1");
	ck_assert_ptr_nonnull(p);
	p[6] = 'x'; /* "CSeq: x OPTIONS" */
	ck_assert_int_gt(sendto(fd, m, strlen(m), 0, &srv.u.sa, srv.len), 0);
	ck_assert_int_gt(recv_wait(l, fd, r, sizeof(r)), 0);
	ck_assert_msg(!strncmp(r, "SIP/2.0 400 Bad CSeq\r\n", 22), "%s", r);
	ck_assert_ptr_nonnull(strstr(r, "Server: unit\r\n"));
	ck_assert_int_gt(sendto(fd, junk, strlen(junk), 0, &srv.u.sa, srv.len),
			 0);
	ck_assert_int_lt(recv_wait(l, fd, r, sizeof(r)), 0);
	sip_transp_stats(t, &st);
	ck_assert_uint_eq(st.parse_err, 2);
	ck_assert_uint_eq(st.bad_answered, 1);
	ck_assert_uint_eq(st.dropped, 1);
	ck_assert_int_eq(g.bad, 2);
	ck_assert_int_eq(g.n, 0);
	close(fd);
	mem_deref(t);
	mem_deref(l);
}
END_TEST

static int tcp_connect(const struct sa *srv)
{
	int fd = socket(sa_af(srv), SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, &srv->u.sa, srv->len), 0);
	return fd;
}

/* three messages: two in one write, the third cut into pieces at every
 * awkward place (inside a header name, between CR and LF, in the body) */
static void tcp_case(const char *ip)
{
	struct loop *l = loop_new();
	struct got g = { .echo = true };
	struct sip_transp *t = mk(l, &g, 0);
	struct sa srv = listen_on(t, SIP_TP_TCP, ip);
	int fd = tcp_connect(&srv);
	char a[600], b[600], c[700], both[1200], r[4096];
	static const size_t cuts[] = { 1, 7, 30, 31, 150 };
	size_t off = 0, total = 0;
	ssize_t n;

	req(a, sizeof(a), "TCP", "client.invalid:5060", "", "t1", "OPTIONS");
	req(b, sizeof(b), "TCP", "client.invalid:5060", "", "t2", "OPTIONS");
	snprintf(both, sizeof(both), "%s%s", a, b);
	snprintf(c, sizeof(c),
		 "MESSAGE sip:gw@example.net SIP/2.0\r\n"
		 "Via: SIP/2.0/TCP client.invalid;branch=z9hG4bK-t3\r\n"
		 "Max-Forwards: 70\r\nFrom: <sip:a@x>;tag=1\r\n"
		 "To: <sip:b@x>\r\nCall-ID: t3\r\nCSeq: 2 MESSAGE\r\n"
		 "Content-Type: text/plain\r\nContent-Length: 12\r\n\r\n"
		 "hello\r\n\r\nyou");
	ck_assert_int_eq(write(fd, both, strlen(both)), (ssize_t)strlen(both));
	pump(l, &g.n, 2, 2000);
	ck_assert_int_eq(g.n, 2);
	for (size_t i = 0; i <= sizeof(cuts) / sizeof(cuts[0]); i++) {
		size_t end = i < sizeof(cuts) / sizeof(cuts[0]) ? cuts[i] :
								  strlen(c);

		ck_assert_int_eq(write(fd, c + off, end - off),
				 (ssize_t)(end - off));
		off = end;
		pump(l, NULL, 0, 20);
		ck_assert_int_eq(g.n, i < 5 ? 2 : 3);
	}
	ck_assert_str_eq(g.callid[0], "t1");
	ck_assert_str_eq(g.callid[1], "t2");
	ck_assert_str_eq(g.callid[2], "t3");
	ck_assert_int_eq(g.tp[2], SIP_TP_TCP);
	/* three 200s came back on the same connection */
	while (total < sizeof(r) - 1) {
		n = recv_wait(l, fd, r + total, sizeof(r) - total);
		if (n <= 0)
			break;
		total += (size_t)n;
		if (strstr(r, "CSeq: 2 MESSAGE"))
			break;
	}
	ck_assert_ptr_nonnull(strstr(r, "CSeq: 1 OPTIONS"));
	ck_assert_ptr_nonnull(strstr(strstr(r, "CSeq: 1 OPTIONS") + 5,
				     "CSeq: 1 OPTIONS"));
	ck_assert_ptr_nonnull(strstr(r, "CSeq: 2 MESSAGE"));
	/* a stream Via with a name as host gets received= */
	ck_assert_ptr_nonnull(strstr(r, ";received="));
	close(fd);
	mem_deref(t);
	mem_deref(l);
}

START_TEST(tcp_v4)
{
	tcp_case("127.0.0.1");
}
END_TEST

START_TEST(tcp_v6)
{
	tcp_case("::1");
}
END_TEST

/* a message over max_message closes that connection only; a CRLFCRLF
 * ping is answered with CRLF */
START_TEST(tcp_oversize)
{
	struct loop *l = loop_new();
	struct got g = { .echo = true };
	struct sip_transp *t = mk(l, &g, 2048);
	struct sa srv = listen_on(t, SIP_TP_TCP, "127.0.0.1");
	int big = tcp_connect(&srv), ok = tcp_connect(&srv);
	char m[600], r[2048], hdr[256], pad[3000];
	struct sip_transp_stats st;

	pump(l, NULL, 0, 50);
	sip_transp_stats(t, &st);
	ck_assert_uint_eq(st.conns, 2);
	memset(pad, 'a', sizeof(pad));
	snprintf(hdr, sizeof(hdr),
		 "OPTIONS sip:gw@x SIP/2.0\r\nContent-Length: %zu\r\n\r\n",
		 sizeof(pad));
	ck_assert_int_gt(write(big, hdr, strlen(hdr)), 0);
	ck_assert_int_gt(write(big, pad, sizeof(pad)), 0);
	/* the server closes it: EOF (or a reset) */
	ck_assert_int_le(recv_wait(l, big, r, sizeof(r)), 0);
	sip_transp_stats(t, &st);
	ck_assert_uint_eq(st.frame_err, 1);
	ck_assert_uint_eq(st.conns, 1);
	ck_assert_int_eq(write(ok, "\r\n\r\n", 4), 4);
	ck_assert_int_eq(recv_wait(l, ok, r, sizeof(r)), 2);
	ck_assert_str_eq(r, "\r\n");
	req(m, sizeof(m), "TCP", "127.0.0.1:5060", "", "ok1", "OPTIONS");
	ck_assert_int_gt(write(ok, m, strlen(m)), 0);
	ck_assert_int_gt(recv_wait(l, ok, r, sizeof(r)), 0);
	ck_assert_ptr_nonnull(strstr(r, "SIP/2.0 200 OK"));
	ck_assert_int_eq(g.n, 1);
	close(big);
	close(ok);
	mem_deref(t);
	mem_deref(l);
}
END_TEST

/* the transport as a TCP client: sip_transp_send connects, then reuses */
START_TEST(tcp_client_reuse)
{
	struct loop *l = loop_new();
	struct got gs = { 0 }, gc = { 0 };
	struct sip_transp *ts = mk(l, &gs, 0), *tc = mk(l, &gc, 0);
	struct sa srv = listen_on(ts, SIP_TP_TCP, "127.0.0.1");
	char m[600];
	struct sip_transp_stats st;

	req(m, sizeof(m), "TCP", "127.0.0.1:5060", "", "c1", "OPTIONS");
	ck_assert_int_eq(sip_transp_send(tc, SIP_TP_TCP, &srv, NULL, m,
					 strlen(m)),
			 0);
	ck_assert_int_eq(sip_transp_send(tc, SIP_TP_TCP, &srv, NULL, m,
					 strlen(m)),
			 0);
	pump(l, &gs.n, 2, 2000);
	ck_assert_int_eq(gs.n, 2);
	sip_transp_stats(tc, &st);
	ck_assert_uint_eq(st.conns_total, 1);
	sip_transp_stats(ts, &st);
	ck_assert_uint_eq(st.conns, 1);
	mem_deref(tc);
	mem_deref(ts);
	mem_deref(l);
}
END_TEST

/* A connection to a port nobody listens on: the send is queued, then
 * the owner hears that the connection never came up; a connection that
 * did come up and was used is not reported. */
START_TEST(tcp_connect_refused)
{
	struct loop *l = loop_new();
	struct got gs = { 0 }, gc = { 0 };
	struct sip_transp *ts = mk(l, &gs, 0), *tc = mk(l, &gc, 0);
	struct sa srv = listen_on(ts, SIP_TP_TCP, "127.0.0.1"), dead;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char m[600];

	/* a free port: bound, then closed without listening */
	ck_assert_int_ge(fd, 0);
	sa_set_ip(&dead, "127.0.0.1", 0);
	ck_assert_int_eq(bind(fd, &dead.u.sa, dead.len), 0);
	ck_assert_int_eq(getsockname(fd, &dead.u.sa, &dead.len), 0);
	close(fd);
	req(m, sizeof(m), "TCP", "127.0.0.1:5060", "", "c1", "OPTIONS");
	ck_assert_int_eq(sip_transp_send(tc, SIP_TP_TCP, &dead, NULL, m,
					 strlen(m)),
			 0);
	pump(l, &gc.fails, 1, 2000);
	ck_assert_int_eq(gc.fails, 1);
	ck_assert_int_eq(gc.fail_err, -ECONNREFUSED);
	ck_assert_int_eq(gc.fail_tp, SIP_TP_TCP);
	ck_assert(sa_eq(&gc.fail_peer, &dead));
	/* a working connection, then the server goes: not a setup failure */
	ck_assert_int_eq(sip_transp_send(tc, SIP_TP_TCP, &srv, NULL, m,
					 strlen(m)),
			 0);
	pump(l, &gs.n, 1, 2000);
	ck_assert_int_eq(gs.n, 1);
	mem_deref(ts);
	pump(l, NULL, 0, 200);
	ck_assert_int_eq(gc.fails, 1);
	ck_assert_int_eq(gs.fails, 0);
	mem_deref(tc);
	mem_deref(l);
}
END_TEST

static struct sip_msg *parse(const char *via, const char *extra_top)
{
	char m[1024];
	struct sip_msg *msg = NULL;

	snprintf(m, sizeof(m),
		 "OPTIONS sip:gw@x SIP/2.0\r\nVia: %s%s\r\n"
		 "Via: SIP/2.0/UDP 192.0.2.99:7777;branch=z9hG4bKlower\r\n"
		 "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: r\r\n"
		 "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
		 via, extra_top);
	ck_assert_int_eq(sip_msg_parse(&msg, m, strlen(m), 0, NULL), 0);
	return msg;
}

static void dst_is(const char *via, enum sip_tp tp, const char *want)
{
	struct sip_msg *m = parse(via, "");
	struct sip_src src = { .tp = tp };
	struct sa dst;
	char s[SA_STRLEN];

	ck_assert_int_eq(sa_parse(&src.src, "198.18.0.7:40000", 0), 0);
	ck_assert_int_eq(sip_transp_resp_dst(m, &src, &dst), 0);
	ck_assert_msg(!strcmp(sa_str(&dst, s, sizeof(s)), want),
		      "%s: got %s, want %s", via, s, want);
	mem_deref(m);
}

/* RFC 3261 18.2.2 and RFC 3581 4 */
START_TEST(resp_routing)
{
	struct sip_msg *m;
	struct sip_src src = { .tp = SIP_TP_UDP };
	struct sa dst;

	/* received (source address) + sent-by port */
	dst_is("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1", SIP_TP_UDP,
	       "198.18.0.7:5070");
	/* no port: 5060 */
	dst_is("SIP/2.0/UDP host.invalid;branch=z9hG4bK1", SIP_TP_UDP,
	       "198.18.0.7:5060");
	/* rport: the source port */
	dst_is("SIP/2.0/UDP 192.0.2.1:5070;rport;branch=z9hG4bK1", SIP_TP_UDP,
	       "198.18.0.7:40000");
	/* maddr wins, with the sent-by port */
	dst_is("SIP/2.0/UDP 192.0.2.1:5070;maddr=198.18.0.9;branch=z9hG4bK1",
	       SIP_TP_UDP, "198.18.0.9:5070");
	dst_is("SIP/2.0/UDP 192.0.2.1;maddr=[fd00::9];branch=z9hG4bK1",
	       SIP_TP_UDP, "[fd00::9]:5060");
	/* streams (connection gone): source address, sent-by port; TLS
	 * defaults to 5061 */
	dst_is("SIP/2.0/TCP 192.0.2.1:5070;rport;branch=z9hG4bK1", SIP_TP_TCP,
	       "198.18.0.7:5070");
	dst_is("SIP/2.0/TLS 192.0.2.1;branch=z9hG4bK1", SIP_TP_TLS,
	       "198.18.0.7:5061");
	/* a maddr that is a name: we do not resolve, we cannot route */
	m = parse("SIP/2.0/UDP 192.0.2.1;maddr=mc.example.net;branch=z9hG4bK1",
		  "");
	ck_assert_int_eq(sa_parse(&src.src, "198.18.0.7:40000", 0), 0);
	ck_assert_int_eq(sip_transp_resp_dst(m, &src, &dst), -EHOSTUNREACH);
	mem_deref(m);
}
END_TEST

/* 18.2.1 + RFC 3581: received and rport filled in the top Via only */
START_TEST(resp_via)
{
	struct sip_msg *m = parse("SIP/2.0/UDP 192.0.2.1:5070;rport;"
				  "received=1.2.3.4;branch=z9hG4bKa",
				  ", SIP/2.0/UDP second.invalid;"
				  "branch=z9hG4bKb");
	struct sip_src src = { .tp = SIP_TP_UDP };
	struct sip_resp_params rp = { .scode = 200 };
	struct buf b = { 0 };
	struct sip_msg *r = NULL;
	struct sip_via v;
	uint64_t pos = 0;

	ck_assert_int_eq(sa_parse(&src.src, "[fd00::7]:40000", 0), 0);
	ck_assert_int_eq(sip_transp_resp_print(&b, m, &src, &rp), 0);
	ck_assert_int_eq(sip_msg_parse(&r, b.data, b.len, 0, NULL), 0);
	ck_assert(sip_msg_via_next(r, &pos, &v));
	ck_assert_int_eq(v.rport, 40000);
	ck_assert(strv_eq(v.received, STRV("fd00::7")));
	ck_assert(strv_eq(v.branch, STRV("z9hG4bKa")));
	ck_assert(sip_msg_via_next(r, &pos, &v));
	ck_assert(strv_eq(v.host, STRV("second.invalid")));
	ck_assert(!v.received.p);
	ck_assert(sip_msg_via_next(r, &pos, &v));
	ck_assert_uint_eq(v.port, 7777);
	ck_assert(!sip_msg_via_next(r, &pos, &v));
	mem_deref(r);
	mem_deref(m);
	buf_free(&b);
	/* sent-by is the source address and no rport: Via unchanged */
	m = parse("SIP/2.0/UDP 198.18.0.7:40000;branch=z9hG4bKc", "");
	ck_assert_int_eq(sa_parse(&src.src, "198.18.0.7:40000", 0), 0);
	ck_assert_int_eq(sip_transp_resp_print(&b, m, &src, &rp), 0);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&b), "Via: SIP/2.0/UDP "
				     "198.18.0.7:40000;branch=z9hG4bKc\r\n"));
	mem_deref(m);
	buf_free(&b);
}
END_TEST

/* the same request gets the same stateless To tag, another one another */
START_TEST(stateless_tag)
{
	struct sip_msg *a = parse("SIP/2.0/UDP h;branch=z9hG4bK1", "");
	struct sip_msg *b = parse("SIP/2.0/UDP h;branch=z9hG4bK1", "");
	struct sip_msg *c = parse("SIP/2.0/UDP h;branch=z9hG4bK2", "");
	char ta[24], tb[24], tc[24];

	ck_assert_int_eq(sip_stateless_tag(a, ta, sizeof(ta)), 0);
	ck_assert_int_eq(sip_stateless_tag(b, tb, sizeof(tb)), 0);
	ck_assert_int_eq(sip_stateless_tag(c, tc, sizeof(tc)), 0);
	ck_assert_uint_eq(strlen(ta), 16);
	ck_assert_str_eq(ta, tb);
	ck_assert_str_ne(ta, tc);
	ck_assert_int_eq(sip_stateless_tag(a, ta, 8), -ENOSPC);
	mem_deref(a);
	mem_deref(b);
	mem_deref(c);
}
END_TEST

START_TEST(tp_names)
{
	ck_assert_int_eq(sip_tp_parse(STRV("udp")), SIP_TP_UDP);
	ck_assert_int_eq(sip_tp_parse(STRV("TLS")), SIP_TP_TLS);
	ck_assert_int_eq(sip_tp_parse(STRV("sctp")), -EINVAL);
	ck_assert_str_eq(sip_tp_name(SIP_TP_TCP), "TCP");
	ck_assert_uint_eq(sip_tp_port(SIP_TP_TLS), 5061);
	ck_assert_uint_eq(sip_tp_port(SIP_TP_UDP), 5060);
}
END_TEST

Suite *sip_transp_suite(void)
{
	Suite *s = suite_create("sip_transp");
	TCase *tc = tl_tcase(s, "udp");

	tcase_add_test(tc, udp_v4);
	tcase_add_test(tc, udp_v6);
	tcase_add_test(tc, udp_bad);
	tc = tl_tcase(s, "tcp");
	tcase_add_test(tc, tcp_v4);
	tcase_add_test(tc, tcp_v6);
	tcase_add_test(tc, tcp_oversize);
	tcase_add_test(tc, tcp_client_reuse);
	tcase_add_test(tc, tcp_connect_refused);
	tc = tl_tcase(s, "resp");
	tcase_add_test(tc, resp_routing);
	tcase_add_test(tc, resp_via);
	tcase_add_test(tc, stateless_tag);
	tcase_add_test(tc, tp_names);
	return s;
}
