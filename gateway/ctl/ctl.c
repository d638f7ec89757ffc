// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define LOG_TAG "ctl"
#include "../base/list.h"
#include "../base/log.h"
#include "../base/loop.h"
#include "../base/mem.h"
#include "ctl.h"

/* a client that stops reading its replies is cut off past this */
#define CTL_MAX_OUT (32u << 20)
#define CTL_IDLE_MS 60000
#define CTL_DRAIN_MS 2000

struct cmdset {
	struct le le;
	const struct ctl_cmd *cmds;
	size_t n;
	void *arg;
};

struct ctl {
	struct loop *loop; /* borrowed */
	int lfd;
	char *path; /* owned; the socket file we created */
	struct list sets;
	struct list clients;
	unsigned max_clients;
};

struct client {
	struct le le;
	struct ctl *ctl; /* borrowed */
	int fd;
	struct buf in, out;
	bool closing;  /* close once out is flushed */
	bool draining; /* replies sent: discard input until EOF */
	struct tmr idle;
};

static int dispatch(struct ctl *ctl, char *line, struct buf *out);

/* --- word splitting ---------------------------------------------------- */

int ctl_split(char *line, char **words, int max, const char **why)
{
	char *r = line, *w = line;
	int n = 0;

	for (;;) {
		while (*r == ' ' || *r == '\t')
			r++;
		if (!*r)
			return n;
		if (n == max) {
			*why = "too many words";
			return -EINVAL;
		}
		words[n++] = w;
		while (*r && *r != ' ' && *r != '\t') {
			if ((unsigned char)*r < 0x20 || *r == 0x7f) {
				*why = "control character in request";
				return -EINVAL;
			}
			if (*r != '"') {
				*w++ = *r++;
				continue;
			}
			r++;
			while (*r != '"') {
				if (!*r) {
					*why = "unterminated quote";
					return -EINVAL;
				}
				if (*r == '\\' && r[1])
					r++;
				if ((unsigned char)*r < 0x20 && *r != '\t') {
					*why = "control character in request";
					return -EINVAL;
				}
				*w++ = *r++;
			}
			r++;
		}
		/* the separator may be overwritten: words end here */
		if (*r)
			r++;
		*w++ = '\0';
	}
}

/* --- command registry ---------------------------------------------------- */

/* Does @cmd start with @argv[0..k)? Returns matched word count or -1. */
static int match(const char *cmd, int argc, char **argv)
{
	const char *p = cmd;
	int k = 0;

	while (*p) {
		size_t l = strcspn(p, " ");

		if (k == argc)
			return -1 - k; /* request is a prefix of the command */
		if (strlen(argv[k]) != l || strncmp(argv[k], p, l))
			return -1;
		k++;
		p += l;
		while (*p == ' ')
			p++;
	}
	return k;
}

int ctl_register(struct ctl *ctl, const struct ctl_cmd *cmds, size_t n,
		 void *arg)
{
	struct cmdset *s = mem_zalloc(sizeof(*s), NULL);

	if (!s)
		return -ENOMEM;
	s->cmds = cmds;
	s->n = n;
	s->arg = arg;
	list_append(&ctl->sets, &s->le, s);
	return 0;
}

void ctl_unregister(struct ctl *ctl, const struct ctl_cmd *cmds)
{
	struct le *le, *nx;

	LIST_FOREACH(&ctl->sets, le, nx)
	{
		struct cmdset *s = le->data;

		if (s->cmds == cmds) {
			list_unlink(&s->le);
			mem_deref(s);
		}
	}
}

static int cmd_help(struct ctl *ctl, struct ctl_reply *r)
{
	ctl_list_begin(r, "commands");
	ctl_obj_begin(r, NULL);
	ctl_put_str(r, "command", "help");
	ctl_put_str(r, "description", "list the commands");
	ctl_obj_end(r);
	for (struct le *le = ctl->sets.head; le; le = le->next) {
		struct cmdset *s = le->data;

		for (size_t i = 0; i < s->n; i++) {
			ctl_obj_begin(r, NULL);
			if (s->cmds[i].usage)
				ctl_put_str(r, "command", "%s %s",
					    s->cmds[i].words, s->cmds[i].usage);
			else
				ctl_put_str(r, "command", "%s",
					    s->cmds[i].words);
			ctl_put_str(r, "description", "%s", s->cmds[i].help);
			ctl_obj_end(r);
		}
	}
	ctl_list_end(r);
	return 0;
}

static int run_cmd(struct ctl *ctl, struct ctl_reply *r, int argc,
		   char **argv)
{
	const struct ctl_cmd *best = NULL;
	struct cmdset *bset = NULL;
	int bestk = 0, partial = 0;
	char hint[256] = "";
	size_t hl = 0;

	if (argc == 1 && !strcmp(argv[0], "help"))
		return cmd_help(ctl, r);
	for (struct le *le = ctl->sets.head; le; le = le->next) {
		struct cmdset *s = le->data;

		for (size_t i = 0; i < s->n; i++) {
			int k = match(s->cmds[i].words, argc, argv);

			if (k > bestk) {
				best = &s->cmds[i];
				bset = s;
				bestk = k;
			} else if (k < -1 && hl < sizeof(hint) - 1) {
				partial++;
				hl += (size_t)snprintf(hint + hl,
						       sizeof(hint) - hl,
						       "%s%s", partial > 1 ?
						       ", " : "",
						       s->cmds[i].words);
			}
		}
	}
	if (!best) {
		if (partial)
			return ctl_fail(r, "incomplete command; try: %s", hint);
		return ctl_fail(r, "unknown command \"%s\" (try \"help\")",
				argv[0]);
	}
	argc -= bestk;
	argv += bestk;
	if (argc < best->min_args || argc > best->max_args)
		return ctl_fail(r, "usage: %s%s%s", best->words,
				best->usage ? " " : "",
				best->usage ? best->usage : "");
	return best->h(r, argc, argv, bset->arg);
}

static int frame(struct buf *out, bool ok, struct buf *body)
{
	int err = buf_printf(out, "%s %zu\n", ok ? "OK" : "ERR", body->len);

	return err ? err : buf_append(out, body->data, body->len);
}

static int dispatch(struct ctl *ctl, char *line, struct buf *out)
{
	char *argv[CTL_MAX_WORDS], **args = argv;
	struct ctl_reply *r = ctl_reply_new();
	struct buf body = { 0 };
	const char *why = "";
	bool json = false;
	int argc, err;

	if (!r)
		return -ENOMEM;
	argc = ctl_split(line, argv, CTL_MAX_WORDS, &why);
	if (argc > 0 && !strcmp(argv[0], "-j")) {
		json = true;
		argc--;
		args++;
	}
	if (argc < 0)
		ctl_fail(r, "malformed request: %s", why);
	else if (argc == 0)
		ctl_fail(r, "empty request (try \"help\")");
	else
		run_cmd(ctl, r, argc, args);
	err = ctl_render(r, json, &body);
	if (!err)
		err = frame(out, !ctl_failed(r), &body);
	if (!err && ctl_failed(r))
		err = -EINVAL;
	buf_free(&body);
	mem_deref(r);
	return err;
}

int ctl_exec(struct ctl *ctl, const char *line, struct buf *out)
{
	char *copy = strdup(line);
	int err;

	if (!copy)
		return -ENOMEM;
	err = dispatch(ctl, copy, out);
	free(copy);
	return err;
}

/* --- clients -------------------------------------------------------------- */

static void client_destroy(void *arg)
{
	struct client *c = arg;

	tmr_cancel(&c->idle);
	list_unlink(&c->le);
	if (c->fd >= 0) {
		loop_fd_del(c->ctl->loop, c->fd);
		close(c->fd);
	}
	buf_free(&c->in);
	buf_free(&c->out);
}

static void client_idle(void *arg)
{
	struct client *c = arg;

	LOGD("client idle for %d s, closing", CTL_IDLE_MS / 1000);
	mem_deref(c);
}

/* Write what is queued; close when done if asked to. Returns false when
 * the client was freed. */
static bool client_flush(struct client *c)
{
	while (c->out.len) {
		ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			mem_deref(c);
			return false;
		}
		buf_consume(&c->out, (size_t)n);
	}
	if (!c->out.len && c->closing) {
		/* Half-close and drain instead of closing at once: a Unix
		 * socket closed with unread input resets the peer, which may
		 * then never read the error reply. Input is discarded until
		 * EOF or CTL_DRAIN_MS. */
		if (!c->draining) {
			c->draining = true;
			shutdown(c->fd, SHUT_WR);
			tmr_start(c->ctl->loop, &c->idle, CTL_DRAIN_MS,
				  client_idle, c);
		}
		loop_fd_mod(c->ctl->loop, c->fd, EPOLLIN);
		return true;
	}
	loop_fd_mod(c->ctl->loop, c->fd,
		    EPOLLIN | (c->out.len ? EPOLLOUT : 0));
	return true;
}

static void client_error(struct client *c, const char *msg)
{
	struct buf body = { 0 };

	if (!buf_printf(&body, "error: %s\n", msg))
		frame(&c->out, false, &body);
	buf_free(&body);
}

static void client_input(struct client *c)
{
	char *nl;

	while ((nl = memchr(c->in.data, '\n', c->in.len))) {
		size_t l = (size_t)(nl - (char *)c->in.data);

		*nl = '\0';
		if (l && nl[-1] == '\r')
			nl[-1] = '\0';
		if (memchr(c->in.data, '\0', l)) {
			client_error(c, "NUL byte in request");
		} else {
			if (dispatch(c->ctl, (char *)c->in.data, &c->out) ==
			    -ENOMEM)
				client_error(c, "out of memory");
		}
		buf_consume(&c->in, l + 1);
		if (c->out.len > CTL_MAX_OUT) {
			LOGW("client does not read its replies, closing");
			c->out.len = 0;
			c->closing = true;
			return;
		}
	}
	if (c->in.len > CTL_MAX_LINE) {
		client_error(c, "request line too long");
		c->in.len = 0;
		c->closing = true;
	}
}

static void client_event(int fd, uint32_t events, void *arg)
{
	struct client *c = arg;
	char tmp[4096];
	ssize_t n;

	(void)fd;
	mem_ref(c);
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		n = recv(c->fd, tmp, sizeof(tmp), 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			/* peer gone: drop anything not yet sent */
			mem_deref(c);
			goto out;
		}
		if (n > 0 && !c->closing && !c->draining) {
			if (buf_append(&c->in, tmp, (size_t)n)) {
				c->closing = true;
			} else {
				client_input(c);
				tmr_start(c->ctl->loop, &c->idle, CTL_IDLE_MS,
					  client_idle, c);
			}
		}
	}
	if (list_linked(&c->le))
		client_flush(c);
out:
	mem_deref(c);
}

static void accept_event(int fd, uint32_t events, void *arg)
{
	struct ctl *ctl = arg;
	struct client *c;
	int cfd;

	(void)events;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	if (ctl->clients.n >= ctl->max_clients) {
		static const char body[] = "error: too many clients\n";
		char msg[64];
		int n = snprintf(msg, sizeof(msg), "ERR %zu\n%s",
				 sizeof(body) - 1, body);

		LOGW("control client refused: %u clients connected",
		     ctl->max_clients);
		if (send(cfd, msg, (size_t)n, MSG_NOSIGNAL) < 0)
			LOGD("refusal not sent: %s", strerror(errno));
		close(cfd);
		return;
	}
	c = mem_zalloc(sizeof(*c), client_destroy);
	if (!c) {
		close(cfd);
		return;
	}
	c->ctl = ctl;
	c->fd = cfd;
	c->in.max = 2 * CTL_MAX_LINE;
	tmr_init(&c->idle);
	list_append(&ctl->clients, &c->le, c);
	if (loop_fd_add(ctl->loop, cfd, EPOLLIN, client_event, c)) {
		c->fd = -1;
		close(cfd);
		mem_deref(c);
		return;
	}
	tmr_start(ctl->loop, &c->idle, CTL_IDLE_MS, client_idle, c);
}

/* --- the control plane -------------------------------------------------------- */

static void ctl_close_listener(struct ctl *ctl)
{
	if (ctl->lfd >= 0) {
		loop_fd_del(ctl->loop, ctl->lfd);
		close(ctl->lfd);
		ctl->lfd = -1;
	}
	if (ctl->path) {
		unlink(ctl->path);
		ctl->path = mem_deref(ctl->path);
	}
}

static void ctl_destroy(void *arg)
{
	struct ctl *ctl = arg;
	struct le *le, *nx;

	ctl_close_listener(ctl);
	LIST_FOREACH(&ctl->clients, le, nx)
	mem_deref(le->data);
	LIST_FOREACH(&ctl->sets, le, nx)
	{
		list_unlink(le);
		mem_deref(le->data);
	}
}

struct ctl *ctl_new(struct loop *loop)
{
	struct ctl *ctl = mem_zalloc(sizeof(*ctl), ctl_destroy);

	if (!ctl)
		return NULL;
	ctl->loop = loop;
	ctl->lfd = -1;
	ctl->max_clients = 16;
	list_init(&ctl->sets);
	list_init(&ctl->clients);
	return ctl;
}

int ctl_set_max_clients(struct ctl *ctl, unsigned n)
{
	if (!n)
		return -EINVAL;
	ctl->max_clients = n;
	return 0;
}

size_t ctl_nclients(const struct ctl *ctl)
{
	return ctl->clients.n;
}

int ctl_listen(struct ctl *ctl, const char *path, mode_t mode)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, err;

	if (ctl->lfd >= 0)
		return -EALREADY;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	/* replace a stale socket, but never another kind of file */
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		err = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
		close(fd);
		if (!err)
			return -EADDRINUSE; /* a live daemon owns it */
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)))
		goto fail;
	if (chmod(path, mode))
		goto fail_unlink;
	if (listen(fd, 16))
		goto fail_unlink;
	err = loop_fd_add(ctl->loop, fd, EPOLLIN, accept_event, ctl);
	if (err) {
		unlink(path);
		close(fd);
		return err;
	}
	ctl->lfd = fd;
	ctl->path = mem_strdup(path);
	return 0;
fail_unlink:
	err = -errno;
	unlink(path);
	close(fd);
	return err;
fail:
	err = -errno;
	close(fd);
	return err;
}
