// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#define LOG_TAG "log"
#include "log.h"

int log_level_cur = LOG_LVL_INFO;
static enum log_sink log_sink_cur = LOG_SINK_STDERR;

static const char *const level_names[] = {
	[LOG_LVL_ERR] = "error",   [LOG_LVL_WARN] = "warning",
	[LOG_LVL_NOTICE] = "notice", [LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

static const int level_prio[] = {
	[LOG_LVL_ERR] = LOG_ERR,   [LOG_LVL_WARN] = LOG_WARNING,
	[LOG_LVL_NOTICE] = LOG_NOTICE, [LOG_LVL_INFO] = LOG_INFO,
	[LOG_LVL_DEBUG] = LOG_DEBUG,
};

void log_open(enum log_sink sink, const char *ident)
{
	log_sink_cur = sink;
	if (sink == LOG_SINK_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_close(void)
{
	if (log_sink_cur == LOG_SINK_SYSLOG)
		closelog();
	log_sink_cur = LOG_SINK_STDERR;
}

void log_set_level(int level)
{
	if (level >= LOG_LVL_ERR && level <= LOG_LVL_DEBUG)
		log_level_cur = level;
}

int log_level_parse(const char *name)
{
	for (int i = 0; i <= LOG_LVL_DEBUG; i++)
		if (!strcmp(name, level_names[i]))
			return i;
	return -EINVAL;
}

const char *log_level_name(int level)
{
	if (level < LOG_LVL_ERR || level > LOG_LVL_DEBUG)
		return "?";
	return level_names[level];
}

void log_write(int level, const char *tag, const char *id, const char *fmt,
	       ...)
{
	char msg[1024];
	va_list ap;
	int save = errno;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (level < LOG_LVL_ERR)
		level = LOG_LVL_ERR;
	if (level > LOG_LVL_DEBUG)
		level = LOG_LVL_DEBUG;

	if (log_sink_cur == LOG_SINK_SYSLOG) {
		if (id)
			syslog(level_prio[level], "%s: [%s] %s", tag, id, msg);
		else
			syslog(level_prio[level], "%s: %s", tag, msg);
	} else {
		struct timespec ts;
		struct tm tm;
		char tbuf[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
		if (id)
			fprintf(stderr, "%s.%03ld %-7s %s: [%s] %s\n", tbuf,
				ts.tv_nsec / 1000000, level_names[level], tag,
				id, msg);
		else
			fprintf(stderr, "%s.%03ld %-7s %s: %s\n", tbuf,
				ts.tv_nsec / 1000000, level_names[level], tag,
				msg);
	}
	errno = save;
}
