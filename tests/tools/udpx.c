/*
 * udpx - RTP-like UDP traffic for the network test tiers.
 *
 *   udpx send [-f reorder|dup] ADDR PORT COUNT [INTERVAL_US]
 *   udpx recv [BIND_ADDR] PORT COUNT TIMEOUT_MS
 *   udpx echo [BIND_ADDR] PORT COUNT TIMEOUT_MS
 *   udpx ping ADDR PORT COUNT INTERVAL_US TIMEOUT_MS
 *
 * Every packet is 172 bytes: a 12-byte RTP v2 header (PT 0, one SSRC per
 * run, sequence +1 and timestamp +160 per packet, as 20 ms of G.711) and
 * a 160-byte payload that carries a magic, the packet's index in the run
 * and a fill pattern. The receiver counts by the payload index, not by
 * the RTP sequence number, so a relay that rewrites SSRC or sequence
 * numbers (an offset, as the flow contract allows) is still measured
 * exactly; the RTP fields only have to stay consistent with the index.
 *
 * Exit status: 0 success, 1 the stream was not complete and in order
 * (or a send failed), 2 bad arguments, 3 a system call failed.
 * Every mode is bounded by its COUNT and, where it waits, a timeout.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define UDPX_PKT_LEN 172
#define UDPX_RTP_LEN 12
#define UDPX_TS_STEP 160
#define UDPX_PT_PCMU 0
#define UDPX_MAGIC 0x55445058u /* "UDPX" */
#define UDPX_OFF_MAGIC UDPX_RTP_LEN
#define UDPX_OFF_INDEX (UDPX_RTP_LEN + 4)
#define UDPX_OFF_FILL (UDPX_RTP_LEN + 8)

#define UDPX_MAX_COUNT 10000000ul
#define UDPX_MAX_INTERVAL_US 10000000ul
#define UDPX_MAX_TIMEOUT_MS 3600000ul
#define UDPX_RCVBUF (4 << 20)
#define UDPX_BUF_LEN 65536

enum { UDPX_OK = 0, UDPX_FAIL = 1, UDPX_USAGE = 2, UDPX_SYS = 3 };

enum udpx_fault { UDPX_FAULT_NONE, UDPX_FAULT_REORDER, UDPX_FAULT_DUP };

/*
 * Fault injection (send -f), so tests can prove that recv catches it:
 * in each group of UDPX_FAULT_EVERY packets, "reorder" swaps the last
 * two and "dup" sends the fifth twice. Each needs a later packet of the
 * run, so that recv, which stops at its COUNT, cannot finish before the
 * fault reaches it: the counts are exact on an in-order link.
 */
#define UDPX_FAULT_EVERY 10
#define UDPX_FAULT_DUP_POS 4

struct udpx_stats {
	uint8_t *seen; /* bitmap of indexes received, count bits */
	uint32_t count;
	uint64_t received, unique, ooo, dup, bad, bytes;
	int64_t highest;
	int have_ref;
	uint32_t ssrc, ts_off;
	uint16_t seq_off;
};

/* Stream identity of one sender run. */
struct udpx_stream {
	uint32_t ssrc, ts0;
	uint16_t seq0;
};

static uint8_t udpx_buf[UDPX_BUF_LEN];

static void udpx_usage(void)
{
	fputs("usage:\n"
	      "  udpx send [-f reorder|dup] ADDR PORT COUNT [INTERVAL_US]\n"
	      "  udpx recv [BIND_ADDR] PORT COUNT TIMEOUT_MS\n"
	      "  udpx echo [BIND_ADDR] PORT COUNT TIMEOUT_MS\n"
	      "  udpx ping ADDR PORT COUNT INTERVAL_US TIMEOUT_MS\n"
	      "ADDR is numeric IPv4 or IPv6; INTERVAL_US defaults to 20000.\n"
	      "recv exits 0 only if all COUNT packets arrived in order;\n"
	      "exit 1 on loss or disorder, 2 bad arguments, 3 system error.\n",
	      stderr);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint64_t udpx_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Decimal only, no sign, no trailing characters, within [min, max]. */
static int udpx_num(const char *s, unsigned long min, unsigned long max,
		    unsigned long *out)
{
	unsigned long v;
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Numeric host only: the tool must never wait on a resolver. */
static int udpx_addr(const char *host, unsigned long port,
		     struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = {
	    .ai_family = AF_UNSPEC,
	    .ai_socktype = SOCK_DGRAM,
	    .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
	};
	struct addrinfo *ai;
	char serv[8];

	snprintf(serv, sizeof(serv), "%lu", port);
	if (getaddrinfo(host, serv, &hints, &ai))
		return -EINVAL;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static void udpx_rcvbuf(int fd)
{
	int sz = UDPX_RCVBUF;

	/* Best effort: the default is enough for paced streams. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
}

/*
 * Bind to addr, or with no addr to port on the IPv6 wildcard in
 * dual-stack mode (IPv4 too), falling back to 0.0.0.0 where IPv6 is off.
 * Returns the socket or a negative errno.
 */
static int udpx_bind(const struct sockaddr_storage *addr, socklen_t addr_len,
		     unsigned long port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	socklen_t len = addr_len;
	int fd, off = 0, err;

	memset(&ss, 0, sizeof(ss));
	if (addr) {
		memcpy(&ss, addr, addr_len);
		fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
	} else {
		fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd >= 0) {
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
				   sizeof(off));
			s6->sin6_family = AF_INET6;
			s6->sin6_addr = in6addr_any;
			s6->sin6_port = htons((uint16_t)port);
			len = sizeof(*s6);
		} else if (errno == EAFNOSUPPORT) {
			fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			if (fd < 0)
				return -errno;
			s4->sin_family = AF_INET;
			s4->sin_addr.s_addr = htonl(INADDR_ANY);
			s4->sin_port = htons((uint16_t)port);
			len = sizeof(*s4);
		} else {
			return -errno;
		}
	}
	udpx_rcvbuf(fd);
	if (bind(fd, (struct sockaddr *)&ss, len)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int udpx_stream_init(struct udpx_stream *s)
{
	uint8_t r[10];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -EIO;
	s->ssrc = get32(r);
	s->ts0 = get32(r + 4);
	s->seq0 = get16(r + 8);
	return 0;
}

static void udpx_build(const struct udpx_stream *s, uint32_t idx, uint8_t *p)
{
	int i;

	p[0] = 0x80; /* V=2, no padding, extension or CSRC */
	p[1] = (uint8_t)((idx == 0 ? 0x80 : 0) | UDPX_PT_PCMU);
	put16(p + 2, (uint16_t)(s->seq0 + idx));
	put32(p + 4, s->ts0 + idx * UDPX_TS_STEP);
	put32(p + 8, s->ssrc);
	put32(p + UDPX_OFF_MAGIC, UDPX_MAGIC);
	put32(p + UDPX_OFF_INDEX, idx);
	for (i = UDPX_OFF_FILL; i < UDPX_PKT_LEN; i++)
		p[i] = (uint8_t)(idx + (uint32_t)i);
}

static int udpx_stats_init(struct udpx_stats *st, uint32_t count)
{
	memset(st, 0, sizeof(*st));
	st->seen = calloc(count / 8 + 1, 1);
	if (!st->seen)
		return -ENOMEM;
	st->count = count;
	st->highest = -1;
	return 0;
}

/*
 * Only a packet from this tool, of the right size, whose RTP fields are
 * consistent with its index (same SSRC, same sequence and timestamp
 * offsets as the first packet seen), counts; anything else is "bad".
 */
static void udpx_account(struct udpx_stats *st, const uint8_t *p, size_t n)
{
	uint32_t idx, ts_off;
	uint16_t seq_off;
	int i;

	st->received++;
	st->bytes += n;
	if (n != UDPX_PKT_LEN || (p[0] & 0xc0) != 0x80 ||
	    get32(p + UDPX_OFF_MAGIC) != UDPX_MAGIC)
		goto bad;
	idx = get32(p + UDPX_OFF_INDEX);
	if (idx >= st->count)
		goto bad;
	for (i = UDPX_OFF_FILL; i < UDPX_PKT_LEN; i++)
		if (p[i] != (uint8_t)(idx + (uint32_t)i))
			goto bad;
	seq_off = (uint16_t)(get16(p + 2) - idx);
	ts_off = get32(p + 4) - idx * UDPX_TS_STEP;
	if (!st->have_ref) {
		st->have_ref = 1;
		st->ssrc = get32(p + 8);
		st->seq_off = seq_off;
		st->ts_off = ts_off;
	} else if (get32(p + 8) != st->ssrc || seq_off != st->seq_off ||
		   ts_off != st->ts_off) {
		goto bad;
	}
	if (st->seen[idx / 8] & (1u << (idx % 8))) {
		st->dup++;
		return;
	}
	st->seen[idx / 8] |= (uint8_t)(1u << (idx % 8));
	st->unique++;
	if ((int64_t)idx < st->highest)
		st->ooo++;
	else
		st->highest = idx;
	return;
bad:
	st->bad++;
}

static int udpx_stats_ok(const struct udpx_stats *st)
{
	return st->unique == st->count && !st->ooo && !st->dup && !st->bad;
}

/* Ends the summary line that the caller began with its mode. */
static void udpx_stats_print(const struct udpx_stats *st)
{
	printf("received=%llu lost=%llu out-of-order=%llu duplicates=%llu "
	       "bad=%llu bytes=%llu expected=%lu result=%s\n",
	       (unsigned long long)st->received,
	       (unsigned long long)(st->count - st->unique),
	       (unsigned long long)st->ooo, (unsigned long long)st->dup,
	       (unsigned long long)st->bad, (unsigned long long)st->bytes,
	       (unsigned long)st->count, udpx_stats_ok(st) ? "ok" : "FAIL");
}

/*
 * Wait until fd is readable or the monotonic time reaches until_ns.
 * Returns 1 readable, 0 time is up, negative errno on error.
 */
static int udpx_wait(int fd, uint64_t until_ns)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	struct timespec ts;
	uint64_t now;
	int n;

	for (;;) {
		now = udpx_now_ns();
		if (now >= until_ns)
			return 0;
		ts.tv_sec = (time_t)((until_ns - now) / 1000000000ull);
		ts.tv_nsec = (long)((until_ns - now) % 1000000000ull);
		n = ppoll(&pfd, 1, &ts, NULL);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

static void udpx_sleep_until(uint64_t ns)
{
	struct timespec ts = {
	    .tv_sec = (time_t)(ns / 1000000000ull),
	    .tv_nsec = (long)(ns % 1000000000ull),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static int udpx_sendto(int fd, const uint8_t *p, size_t n,
		       const struct sockaddr_storage *to, socklen_t len)
{
	ssize_t r;

	do
		r = sendto(fd, p, n, 0, (const struct sockaddr *)to, len);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == (ssize_t)n ? 0 : -EMSGSIZE;
}

/* The index sent in slot i: the identity but for "reorder". */
static uint32_t udpx_fault_index(enum udpx_fault f, uint32_t i, uint32_t count)
{
	uint32_t pos = i % UDPX_FAULT_EVERY;

	if (f != UDPX_FAULT_REORDER)
		return i;
	if (pos == UDPX_FAULT_EVERY - 2 && i + 1 < count)
		return i + 1;
	if (pos == UDPX_FAULT_EVERY - 1)
		return i - 1;
	return i;
}

static int udpx_send(int argc, char **argv)
{
	enum udpx_fault fault = UDPX_FAULT_NONE;
	unsigned long port, count, interval = 20000;
	struct sockaddr_storage to;
	struct udpx_stream s;
	uint8_t pkt[UDPX_PKT_LEN];
	uint64_t t0, sent = 0, errors = 0;
	uint32_t i, idx;
	socklen_t len;
	int fd, err = 0, e, copies;

	if (argc >= 2 && !strcmp(argv[0], "-f")) {
		if (!strcmp(argv[1], "reorder"))
			fault = UDPX_FAULT_REORDER;
		else if (!strcmp(argv[1], "dup"))
			fault = UDPX_FAULT_DUP;
		else
			return -EINVAL;
		argc -= 2;
		argv += 2;
	}
	if (argc < 3 || argc > 4 || udpx_num(argv[1], 1, 65535, &port) ||
	    udpx_num(argv[2], 1, UDPX_MAX_COUNT, &count) ||
	    (argc == 4 &&
	     udpx_num(argv[3], 0, UDPX_MAX_INTERVAL_US, &interval)) ||
	    udpx_addr(argv[0], port, &to, &len))
		return -EINVAL;

	fd = socket(to.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("udpx send: socket");
		return UDPX_SYS;
	}
	if (udpx_stream_init(&s)) {
		fputs("udpx send: getrandom failed\n", stderr);
		close(fd);
		return UDPX_SYS;
	}
	t0 = udpx_now_ns();
	for (i = 0; i < count; i++) {
		if (interval)
			udpx_sleep_until(t0 + (uint64_t)i * interval * 1000);
		idx = udpx_fault_index(fault, i, (uint32_t)count);
		udpx_build(&s, idx, pkt);
		copies = 1;
		if (fault == UDPX_FAULT_DUP && i + 1 < count &&
		    i % UDPX_FAULT_EVERY == UDPX_FAULT_DUP_POS)
			copies = 2;
		while (copies--) {
			e = udpx_sendto(fd, pkt, sizeof(pkt), &to, len);
			if (e) {
				errors++;
				err = e;
			} else {
				sent++;
			}
		}
	}
	close(fd);
	printf("udpx send: sent=%llu errors=%llu bytes=%llu to=%s port=%lu "
	       "ssrc=%08x%s%s\n",
	       (unsigned long long)sent, (unsigned long long)errors,
	       (unsigned long long)(sent * UDPX_PKT_LEN), argv[0], port, s.ssrc,
	       err ? " last-error=" : "", err ? strerror(-err) : "");
	return errors ? UDPX_FAIL : UDPX_OK;
}

/* Arguments and socket of recv and echo: [BIND_ADDR] PORT COUNT TIMEOUT_MS */
struct udpx_listen {
	const char *host; /* borrowed from argv, NULL for the wildcard */
	unsigned long port, count, timeout;
	int fd;
};

/*
 * Parse the arguments and bind. Returns 0, -EINVAL for bad arguments,
 * or another negative errno (already reported) if the bind failed.
 */
static int udpx_listen(const char *mode, int argc, char **argv,
		       struct udpx_listen *l)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;

	if (argc != 3 && argc != 4)
		return -EINVAL;
	l->host = argc == 4 ? argv[0] : NULL;
	argv += argc - 3;
	if (udpx_num(argv[0], 1, 65535, &l->port) ||
	    udpx_num(argv[1], 1, UDPX_MAX_COUNT, &l->count) ||
	    udpx_num(argv[2], 1, UDPX_MAX_TIMEOUT_MS, &l->timeout) ||
	    (l->host && udpx_addr(l->host, l->port, &ss, &len)))
		return -EINVAL;
	l->fd = udpx_bind(l->host ? &ss : NULL, len, l->port);
	if (l->fd < 0) {
		fprintf(stderr, "udpx %s: bind %s port %lu: %s\n", mode,
			l->host ? l->host : "*", l->port, strerror(-l->fd));
		return l->fd == -EINVAL ? -EIO : l->fd;
	}
	return 0;
}

/* Mode handlers return the exit status, or -EINVAL for bad arguments. */
static int udpx_recv(int argc, char **argv)
{
	struct udpx_listen l;
	struct udpx_stats st;
	uint64_t deadline;
	uint32_t drain;
	ssize_t n;
	int w, err, ret = UDPX_OK;

	err = udpx_listen("recv", argc, argv, &l);
	if (err)
		return err == -EINVAL ? err : UDPX_SYS;
	if (udpx_stats_init(&st, (uint32_t)l.count)) {
		close(l.fd);
		return UDPX_SYS;
	}
	deadline = udpx_now_ns() + (uint64_t)l.timeout * 1000000ull;
	while (st.unique < st.count) {
		w = udpx_wait(l.fd, deadline);
		if (w < 0) {
			fprintf(stderr, "udpx recv: poll: %s\n", strerror(-w));
			ret = UDPX_SYS;
			break;
		}
		if (!w)
			break;
		n = recv(l.fd, udpx_buf, sizeof(udpx_buf), MSG_DONTWAIT);
		if (n >= 0)
			udpx_account(&st, udpx_buf, (size_t)n);
	}
	/* Count duplicates already queued; bounded, in case of a flood. */
	for (drain = 0; ret == UDPX_OK && drain < st.count; drain++) {
		n = recv(l.fd, udpx_buf, sizeof(udpx_buf), MSG_DONTWAIT);
		if (n < 0)
			break;
		udpx_account(&st, udpx_buf, (size_t)n);
	}
	close(l.fd);
	printf("udpx recv: ");
	udpx_stats_print(&st);
	if (ret == UDPX_OK && !udpx_stats_ok(&st))
		ret = UDPX_FAIL;
	free(st.seen);
	return ret;
}

static int udpx_echo(int argc, char **argv)
{
	uint64_t deadline, echoed = 0, errors = 0, bytes = 0;
	struct sockaddr_storage from;
	struct udpx_listen l;
	socklen_t len;
	ssize_t n;
	int w, err, ret = UDPX_OK;

	err = udpx_listen("echo", argc, argv, &l);
	if (err)
		return err == -EINVAL ? err : UDPX_SYS;
	deadline = udpx_now_ns() + (uint64_t)l.timeout * 1000000ull;
	while (echoed + errors < l.count) {
		w = udpx_wait(l.fd, deadline);
		if (w < 0) {
			fprintf(stderr, "udpx echo: poll: %s\n", strerror(-w));
			ret = UDPX_SYS;
			break;
		}
		if (!w)
			break;
		len = sizeof(from);
		n = recvfrom(l.fd, udpx_buf, sizeof(udpx_buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &len);
		if (n < 0)
			continue;
		if (udpx_sendto(l.fd, udpx_buf, (size_t)n, &from, len)) {
			errors++;
		} else {
			echoed++;
			bytes += (uint64_t)n;
		}
	}
	close(l.fd);
	printf("udpx echo: echoed=%llu errors=%llu bytes=%llu expected=%lu "
	       "result=%s\n",
	       (unsigned long long)echoed, (unsigned long long)errors,
	       (unsigned long long)bytes, l.count,
	       echoed == l.count ? "ok" : "FAIL");
	if (ret == UDPX_OK && echoed != l.count)
		ret = UDPX_FAIL;
	return ret;
}

/*
 * Send COUNT packets at INTERVAL_US and account for the echoes, from
 * whatever source they come (a relay may answer from its own address);
 * give up TIMEOUT_MS after the last send.
 */
static int udpx_ping(int argc, char **argv)
{
	unsigned long port, count, interval, timeout;
	uint64_t t0, next, deadline = 0, sent = 0, errors = 0;
	struct sockaddr_storage to;
	struct udpx_stats st;
	struct udpx_stream s;
	uint8_t pkt[UDPX_PKT_LEN];
	socklen_t len;
	ssize_t n;
	uint32_t i = 0;
	int fd, w, ret = UDPX_OK;

	if (argc != 5 || udpx_num(argv[1], 1, 65535, &port) ||
	    udpx_num(argv[2], 1, UDPX_MAX_COUNT, &count) ||
	    udpx_num(argv[3], 0, UDPX_MAX_INTERVAL_US, &interval) ||
	    udpx_num(argv[4], 1, UDPX_MAX_TIMEOUT_MS, &timeout) ||
	    udpx_addr(argv[0], port, &to, &len))
		return -EINVAL;
	fd = socket(to.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("udpx ping: socket");
		return UDPX_SYS;
	}
	udpx_rcvbuf(fd);
	if (udpx_stream_init(&s) || udpx_stats_init(&st, (uint32_t)count)) {
		close(fd);
		return UDPX_SYS;
	}
	t0 = next = udpx_now_ns();
	while (st.unique < st.count) {
		if (i < count && udpx_now_ns() >= next) {
			udpx_build(&s, i, pkt);
			if (udpx_sendto(fd, pkt, sizeof(pkt), &to, len))
				errors++;
			else
				sent++;
			i++;
			next = t0 + (uint64_t)i * interval * 1000;
			if (i == count)
				deadline = udpx_now_ns() +
					   (uint64_t)timeout * 1000000ull;
			continue;
		}
		w = udpx_wait(fd, i < count ? next : deadline);
		if (w < 0) {
			fprintf(stderr, "udpx ping: poll: %s\n", strerror(-w));
			ret = UDPX_SYS;
			break;
		}
		if (!w) {
			if (i < count)
				continue;
			break;
		}
		n = recv(fd, udpx_buf, sizeof(udpx_buf), MSG_DONTWAIT);
		if (n >= 0)
			udpx_account(&st, udpx_buf, (size_t)n);
	}
	close(fd);
	printf("udpx ping: sent=%llu errors=%llu ", (unsigned long long)sent,
	       (unsigned long long)errors);
	udpx_stats_print(&st);
	if (ret == UDPX_OK && (errors || !udpx_stats_ok(&st)))
		ret = UDPX_FAIL;
	free(st.seen);
	return ret;
}

int main(int argc, char **argv)
{
	int ret = -EINVAL;

	if (argc < 2) {
		ret = -EINVAL;
	} else if (!strcmp(argv[1], "send")) {
		ret = udpx_send(argc - 2, argv + 2);
	} else if (!strcmp(argv[1], "recv")) {
		ret = udpx_recv(argc - 2, argv + 2);
	} else if (!strcmp(argv[1], "echo")) {
		ret = udpx_echo(argc - 2, argv + 2);
	} else if (!strcmp(argv[1], "ping")) {
		ret = udpx_ping(argc - 2, argv + 2);
	}
	if (ret == -EINVAL) {
		udpx_usage();
		return UDPX_USAGE;
	}
	return ret;
}
