/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration: one INI-style file (plus #include), read into a fresh
 * struct conf, validated whole, and only then handed to the modules. A bad
 * file never replaces a good one (nginx's cycle model).
 *
 * Syntax:
 *   ; comment            (";" or "#" at line start; ";" after white space)
 *   #include "file"      (relative to the including file's folder)
 *   [section]            (a singleton section, e.g. [general])
 *   [section name]       (a named instance, e.g. [peer carrier1])
 *   key = value          (value may be "quoted" to keep ";" and spaces)
 *
 * Each module describes its sections with a keyword table: name, type,
 * default, limits or validator, and whether a reload may change it. The
 * parser fills a module-defined struct at the keywords' offsets. Every
 * error reads "file:line: key: reason".
 */
#ifndef TL_CTL_CONF_H
#define TL_CTL_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/list.h"
#include "../base/sa.h"

enum conf_type {
	CONF_STR,     /* char * (owned by the conf) */
	CONF_INT,     /* int64_t, [min, max] */
	CONF_BOOL,    /* bool: yes/no, true/false, on/off, 1/0 */
	CONF_ENUM,    /* int: index into names[] */
	CONF_MS,      /* uint64_t milliseconds: "250ms", "2s", "5m", "1h" */
	CONF_ADDR,    /* struct sa: "ip:port", "[v6]:port", "ip" (port = min) */
	CONF_STRLIST, /* struct conf_strlist: repeat the key or use commas */
};

/* Keyword flags */
#define CONF_RELOAD 0x1	  /* a reload may change it (else kept, warned) */
#define CONF_REQUIRED 0x2 /* no default: must be given */

struct conf_strlist {
	size_t n;
	char **v; /* owned by the conf */
};

/* Extra validation of a parsed value; write the reason into @why. */
typedef int(conf_check_h)(const void *field, char *why, size_t whylen);

struct conf_kw {
	const char *name;
	enum conf_type type;
	size_t off;		  /* offset of the field in the section */
	const char *def;	  /* default, in config syntax; NULL = none */
	int64_t min, max;	  /* CONF_INT, CONF_MS; CONF_ADDR: port */
	const char *const *names; /* CONF_ENUM: NULL-terminated */
	conf_check_h *check;
	unsigned flags;
	const char *help;
};

struct conf_errs;

/* Cross-key validation of a whole section instance; report with
 * conf_err_add(errs, file, line, key, fmt...). */
typedef void(conf_sect_check_h)(void *sect, const char *name,
				struct conf_errs *errs, const char *file,
				int line);

struct conf_sect_def {
	const char *name; /* "general", "peer" */
	bool named;	  /* instances are "[name label]" */
	size_t size;	  /* size of the struct the keywords fill */
	const struct conf_kw *kws;
	size_t nkws;
	conf_sect_check_h *check;
	const char *help;
};

struct conf;

/* An error list; conf_load() fills one. */
struct conf_errs {
	struct list l; /* of struct conf_err */
	size_t n;
};

struct conf_err {
	struct le le;
	char msg[];
};

void conf_errs_init(struct conf_errs *e);
void conf_errs_clear(struct conf_errs *e);
void conf_err_add(struct conf_errs *e, const char *file, int line,
		  const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Read @path with the section definitions @defs (NULL-terminated). On
 * success *confp is a new conf (mem object) and 0 is returned; on any
 * error, -EINVAL with every error in @errs and no conf.
 */
int conf_load(const char *path, const struct conf_sect_def *const *defs,
	      struct conf **confp, struct conf_errs *errs);

/* Same, from a string (for tests); @name stands in for the file name. */
int conf_load_str(const char *name, const char *text,
		  const struct conf_sect_def *const *defs, struct conf **confp,
		  struct conf_errs *errs);

/* The singleton section @name (defaults if the file had none). */
const void *conf_get(const struct conf *c, const char *name);
/* Iterate named instances: pass NULL first, then the previous result. */
const void *conf_next(const struct conf *c, const char *name,
		      const void *prev);
/* The label of a named instance returned by conf_next(). */
const char *conf_label(const void *sect);
size_t conf_count(const struct conf *c, const char *name);
const char *conf_path(const struct conf *c);

/* Callback for keys a reload may not change. */
typedef void(conf_fixed_h)(const char *file, int line, const char *sect,
			   const char *key, void *arg);

/*
 * Reload policy: in @newc, put back the old value of every keyword without
 * CONF_RELOAD whose value differs from @oldc's, and report each through
 * @h. Returns the number of keys kept, or a negative errno.
 */
int conf_keep_fixed(struct conf *newc, const struct conf *oldc,
		    conf_fixed_h *h, void *arg);

#endif
