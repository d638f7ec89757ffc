// SPDX-License-Identifier: GPL-2.0
/*
 * trunklinectl - talk to a running trunkline over its control socket.
 *
 *   trunklinectl [-s SOCKET] [-j] [-T SECONDS] COMMAND [ARG...]
 *
 * Exit status: 0 the command succeeded, 1 the daemon answered with an
 * error, 2 usage or connection problem.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "core/core.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: trunklinectl [-s SOCKET] [-j] [-T SECONDS] COMMAND...\n"
		"  -s SOCKET   control socket (default $TRUNKLINE_CTL or "
		CONTROL_SOCKET_DEFAULT ")\n"
		"  -j          reply in JSON\n"
		"  -T SECONDS  give up after this long (default 10)\n"
		"  try: trunklinectl help\n");
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Quote a word so that the daemon's splitter gives it back unchanged. */
static int put_word(struct buf *b, const char *w)
{
	bool plain = *w != '\0';
	int err;

	for (const char *p = w; *p; p++)
		if (*p == ' ' || *p == '\t' || *p == '"' || *p == '\\')
			plain = false;
	if (plain)
		return buf_puts(b, w);
	err = buf_putc(b, '"');
	for (const char *p = w; *p && !err; p++) {
		if (*p == '"' || *p == '\\')
			err = buf_putc(b, '\\');
		if (!err)
			err = buf_putc(b, *p);
	}
	return err ? err : buf_putc(b, '"');
}

/* Wait for @fd to be ready for @ev until @deadline; -ETIMEDOUT if not. */
static int wait_fd(int fd, short ev, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int64_t left = deadline - now_ms();
	int n;

	if (left <= 0)
		return -ETIMEDOUT;
	n = poll(&p, 1, (int)left);
	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

int main(int argc, char **argv)
{
	const char *path = getenv("TRUNKLINE_CTL");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct buf req = { 0 }, rep = { 0 };
	bool json = false, ok;
	double tmo = 10;
	int64_t deadline;
	size_t hdr = 0, blen = 0, sent = 0;
	int o, fd, rc = 2;
	char *nl, *end;

	if (!path || !*path)
		path = CONTROL_SOCKET_DEFAULT;
	while ((o = getopt(argc, argv, "+s:jT:h")) != -1) {
		switch (o) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'T':
			tmo = strtod(optarg, &end);
			if (*end || tmo <= 0 || tmo > 3600) {
				usage(stderr);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "trunklinectl: socket path too long\n");
		return 2;
	}
	strcpy(sun.sun_path, path);
	if (json)
		buf_puts(&req, "-j ");
	for (int i = optind; i < argc; i++) {
		if (strchr(argv[i], '\n')) {
			fprintf(stderr, "trunklinectl: newline in argument\n");
			return 2;
		}
		if ((i > optind && buf_putc(&req, ' ')) ||
		    put_word(&req, argv[i])) {
			fprintf(stderr, "trunklinectl: out of memory\n");
			return 2;
		}
	}
	buf_putc(&req, '\n');

	deadline = now_ms() + (int64_t)(tmo * 1000);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		fprintf(stderr, "trunklinectl: cannot connect to %s: %s\n",
			path, strerror(errno));
		fprintf(stderr, "trunklinectl: is trunkline running? "
				"(-s SOCKET or $TRUNKLINE_CTL to choose)\n");
		goto out;
	}
	while (sent < req.len) {
		ssize_t n;

		if (wait_fd(fd, POLLOUT, deadline))
			goto timeout;
		n = send(fd, req.data + sent, req.len - sent, MSG_NOSIGNAL);
		if (n < 0 && errno != EINTR) {
			perror("trunklinectl: send");
			goto out;
		}
		if (n > 0)
			sent += (size_t)n;
	}
	/* read "OK|ERR <len>\n" and then <len> bytes */
	for (;;) {
		char tmp[65536];
		ssize_t n;

		if (hdr && rep.len >= hdr + blen)
			break;
		if (wait_fd(fd, POLLIN, deadline))
			goto timeout;
		n = recv(fd, tmp, sizeof(tmp), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "trunklinectl: connection closed by "
					"the daemon\n");
			goto out;
		}
		if (buf_append(&rep, tmp, (size_t)n)) {
			fprintf(stderr, "trunklinectl: reply too large\n");
			goto out;
		}
		if (!hdr && (nl = memchr(rep.data, '\n', rep.len))) {
			char *lenp;

			*nl = '\0';
			lenp = strchr((char *)rep.data, ' ');
			if (!lenp) {
				fprintf(stderr, "trunklinectl: bad reply\n");
				goto out;
			}
			*lenp++ = '\0';
			errno = 0;
			blen = strtoul(lenp, &end, 10);
			if (errno || *end) {
				fprintf(stderr, "trunklinectl: bad reply\n");
				goto out;
			}
			hdr = (size_t)(nl - (char *)rep.data) + 1;
		}
	}
	ok = !strcmp((char *)rep.data, "OK");
	fwrite(rep.data + hdr, 1, blen, ok ? stdout : stderr);
	rc = ok ? 0 : 1;
	goto out;
timeout:
	fprintf(stderr, "trunklinectl: no reply within %.1f s\n", tmo);
out:
	if (fd >= 0)
		close(fd);
	buf_free(&req);
	buf_free(&rep);
	return rc;
}
