// SPDX-License-Identifier: GPL-2.0
/* CDR to a CSV file: appended, one write() per record, reopened on
 * reload so logrotate can move the file away. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Open @path and give a new (empty) file its header line. */
static int csv_fd(const char *path, int *fdp)
{
	struct buf b = {0};
	struct stat st;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	if (st.st_size == 0) {
		for (size_t i = 0; !err && call_cdr_columns[i]; i++)
			err = buf_printf(&b, "%s%s", i ? "," : "",
					 call_cdr_columns[i]);
		if (!err)
			err = buf_puts(&b, "\r\n");
		if (!err)
			err = write_all(fd, b.data, b.len);
	}
out:
	buf_free(&b);
	if (err) {
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
