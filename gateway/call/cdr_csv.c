// SPDX-License-Identifier: GPL-2.0
/* CDR to a CSV file: appended, one write() per record, reopened on
 * reload so logrotate can move the file away. A file whose header is
 * not this version's columns (written by an older Trunkline) is moved
 * aside, not appended to: its rows and ours would not line up. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOG_TAG "cdr"
#include "../base/log.h"
#include "../base/mem.h"
#include "cdr.h"

struct call_cdr_csv {
	char *path; /* owned */
	int fd;
};

static void csv_destroy(void *arg)
{
	struct call_cdr_csv *w = arg;

	if (w->fd >= 0)
		close(w->fd);
	mem_deref(w->path);
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int header(struct buf *b)
{
	int err = 0;

	for (size_t i = 0; !err && call_cdr_columns[i]; i++)
		err = buf_printf(b, "%s%s", i ? "," : "", call_cdr_columns[i]);
	return err ? err : buf_puts(b, "\r\n");
}

/* Whether the file @path starts with the header @h (its first line). */
static bool same_header(const char *path, const struct buf *h)
{
	char line[2048];
	ssize_t n;
	int fd;

	if (h->len > sizeof(line))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = pread(fd, line, h->len, 0);
	close(fd);
	return n == (ssize_t)h->len && !memcmp(line, h->data, h->len);
}

/* Move @path aside as PATH.YYYYmmdd-HHMMSS (or PATH.old). */
static int move_aside(const char *path)
{
	char to[4096], ts[32] = "old";
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm))
		strftime(ts, sizeof(ts), "%Y%m%d-%H%M%S", &tm);
	if ((size_t)snprintf(to, sizeof(to), "%s.%s", path, ts) >= sizeof(to))
		return -ENAMETOOLONG;
	if (rename(path, to))
		return -errno;
	LOGN("%s: its header is another version's columns: moved to %s, "
	     "a new file starts", path, to);
	return 0;
}

/* Open @path and give a new (empty) file its header line. */
static int csv_fd(const char *path, int *fdp)
{
	struct buf b = {0};
	struct stat st;
	int fd = -1, err;

	err = header(&b);
	if (err)
		goto out;
	if (!stat(path, &st) && st.st_size > 0 && !same_header(path, &b)) {
		err = move_aside(path);
		if (err)
			goto out;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	if (st.st_size == 0)
		err = write_all(fd, b.data, b.len);
out:
	buf_free(&b);
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	*fdp = fd;
	return 0;
}

int call_cdr_csv_open(const char *path, struct call_cdr_csv **out)
{
	struct call_cdr_csv *w = mem_zalloc(sizeof(*w), csv_destroy);
	int err;

	if (!w)
		return -ENOMEM;
	w->fd = -1;
	w->path = mem_strdup(path);
	if (!w->path) {
		mem_deref(w);
		return -ENOMEM;
	}
	err = csv_fd(path, &w->fd);
	if (err) {
		mem_deref(w);
		return err;
	}
	*out = w;
	return 0;
}

int call_cdr_csv_put(struct call_cdr_csv *w, const struct call_cdr *r)
{
	struct buf b = {0};
	int err;

	err = call_cdr_csv_line(&b, r);
	/* one write() with O_APPEND: a line is never interleaved or split
	 * by another writer of the same file */
	if (!err)
		err = write_all(w->fd, b.data, b.len);
	buf_free(&b);
	return err;
}

int call_cdr_csv_reopen(struct call_cdr_csv *w)
{
	int fd, err;

	err = csv_fd(w->path, &fd);
	if (err)
		return err; /* keep writing to the old file */
	close(w->fd);
	w->fd = fd;
	return 0;
}
