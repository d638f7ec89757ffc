/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging. Each .c file defines LOG_TAG (its module) before including this
 * header. The macros test the level before any formatting happens, so a
 * disabled debug line costs one comparison.
 *
 * Lines on a call path carry the Call-ID or channel: use LOG*_ID.
 */
#ifndef TL_BASE_LOG_H
#define TL_BASE_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_LVL_ERR = 0,
	LOG_LVL_WARN,
	LOG_LVL_NOTICE,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

enum log_sink {
	LOG_SINK_STDERR,
	LOG_SINK_SYSLOG,
};

extern int log_level_cur;

void log_open(enum log_sink sink, const char *ident);
void log_close(void);
void log_set_level(int level);
/* "error", "warning", "notice", "info", "debug" -> level, or -EINVAL */
int log_level_parse(const char *name);
const char *log_level_name(int level);

void log_write(int level, const char *tag, const char *id, const char *fmt,
	       ...) __attribute__((format(printf, 4, 5)));

#ifndef LOG_TAG
#error "define LOG_TAG before including log.h"
#endif

#define LOG_AT(lvl, id, ...)                                                 \
	do {                                                                 \
		if ((lvl) <= log_level_cur)                                  \
			log_write((lvl), LOG_TAG, (id), __VA_ARGS__);        \
	} while (0)

#define LOGE(...) LOG_AT(LOG_LVL_ERR, NULL, __VA_ARGS__)
#define LOGW(...) LOG_AT(LOG_LVL_WARN, NULL, __VA_ARGS__)
#define LOGN(...) LOG_AT(LOG_LVL_NOTICE, NULL, __VA_ARGS__)
#define LOGI(...) LOG_AT(LOG_LVL_INFO, NULL, __VA_ARGS__)
#define LOGD(...) LOG_AT(LOG_LVL_DEBUG, NULL, __VA_ARGS__)
#define LOGE_ID(id, ...) LOG_AT(LOG_LVL_ERR, (id), __VA_ARGS__)
#define LOGW_ID(id, ...) LOG_AT(LOG_LVL_WARN, (id), __VA_ARGS__)
#define LOGN_ID(id, ...) LOG_AT(LOG_LVL_NOTICE, (id), __VA_ARGS__)
#define LOGI_ID(id, ...) LOG_AT(LOG_LVL_INFO, (id), __VA_ARGS__)
#define LOGD_ID(id, ...) LOG_AT(LOG_LVL_DEBUG, (id), __VA_ARGS__)

#endif
