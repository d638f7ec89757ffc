/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control socket. A Unix stream socket; each request is one line:
 *
 *   [-j] word word "quoted word" ...\n
 *
 * and each reply is a header line and a body:
 *
 *   OK <length>\n<body>     or     ERR <length>\n<body>
 *
 * with the body in JSON when the request started with -j, else text.
 * Several requests may share a connection. A malformed request gets an
 * ERR reply; an oversized one also closes its connection. Nothing a client
 * sends affects other clients or the daemon.
 *
 * Modules register commands from tables; the longest matching word
 * sequence wins and the words after it are the handler's arguments.
 */
#ifndef TL_CTL_CTL_H
#define TL_CTL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../base/buf.h"
#include "reply.h"

#define CTL_MAX_LINE 4096
#define CTL_MAX_WORDS 32

struct ctl;
struct loop;

typedef int(ctl_cmd_h)(struct ctl_reply *r, int argc, char **argv,
		       void *arg);

struct ctl_cmd {
	const char *words; /* "show calls" */
	const char *usage; /* arguments, e.g. "ID"; NULL = none */
	const char *help;
	ctl_cmd_h *h;
	int min_args, max_args;
};

/* New control plane on @loop (mem object). */
struct ctl *ctl_new(struct loop *loop);
/* Listen on @path (a stale socket file is replaced) with mode @mode. */
int ctl_listen(struct ctl *ctl, const char *path, mode_t mode);
int ctl_set_max_clients(struct ctl *ctl, unsigned n);
/* Register @n commands; @arg is passed to their handlers. */
int ctl_register(struct ctl *ctl, const struct ctl_cmd *cmds, size_t n,
		 void *arg);
void ctl_unregister(struct ctl *ctl, const struct ctl_cmd *cmds);
/* Run one request line as if it came from a client; the full framed reply
 * goes to @out. Returns 0 (OK) or a negative errno (ERR). */
int ctl_exec(struct ctl *ctl, const char *line, struct buf *out);
size_t ctl_nclients(const struct ctl *ctl);

/* Split a request line into words (quotes and backslash escapes); words
 * point into @line, which is modified. Returns the count or -EINVAL with a
 * reason in @why. */
int ctl_split(char *line, char **words, int max, const char **why);

#endif
