// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "conf.h"
#include "conf_value.h"

#define CONF_MAX_FILE (1u << 20)
#define CONF_MAX_LINE 4096
#define CONF_MAX_DEPTH 8
#define CONF_MAX_ERRS 100

/* One section instance; the module's struct follows in data[]. */
struct conf_inst {
	struct le le;
	const struct conf_sect_def *def;
	const char *label; /* arena */
	const char *file;  /* arena */
	int line;
	int *klines;	     /* per keyword: line it was set on, 0 = default */
	const char **kfiles; /* per keyword: file it was set in */
	_Alignas(max_align_t) unsigned char data[];
};

struct arena_blk {
	struct arena_blk *next;
	_Alignas(max_align_t) char data[];
};

struct conf {
	const char *path; /* arena */
	const struct conf_sect_def *const *defs;
	struct list insts;
	struct arena_blk *arena;
};

struct parser {
	struct conf *c;
	struct conf_errs *errs;
	struct conf_inst *cur; /* section being filled; NULL after errors */
	bool skip;	       /* inside an unknown or broken section */
	int depth;
	const char *stack[CONF_MAX_DEPTH + 1]; /* include chain, for cycles */
};

/* --- errors ----------------------------------------------------------- */

void conf_errs_init(struct conf_errs *e)
{
	list_init(&e->l);
	e->n = 0;
}

void conf_errs_clear(struct conf_errs *e)
{
	struct le *le, *nx;

	LIST_FOREACH(&e->l, le, nx)
	{
		list_unlink(le);
		free(le->data);
	}
	e->n = 0;
}

void conf_err_add(struct conf_errs *e, const char *file, int line,
		  const char *key, const char *fmt, ...)
{
	char why[512], msg[1024];
	struct conf_err *ce;
	va_list ap;
	int n;

	e->n++;
	if (e->n > CONF_MAX_ERRS)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (e->n == CONF_MAX_ERRS)
		snprintf(why, sizeof(why), "too many errors, stopping here");
	if (key)
		n = snprintf(msg, sizeof(msg), "%s:%d: %s: %s", file, line, key,
			     why);
	else
		n = snprintf(msg, sizeof(msg), "%s:%d: %s", file, line, why);
	if (n < 0)
		return;
	ce = malloc(sizeof(*ce) + strlen(msg) + 1);
	if (!ce)
		return;
	strcpy(ce->msg, msg);
	list_append(&e->l, &ce->le, ce);
}

/* --- arena: every string and instance of a conf ------------------------ */

void *conf_arena_alloc(struct conf *c, size_t n)
{
	struct arena_blk *b = calloc(1, sizeof(*b) + n);

	if (!b)
		return NULL;
	b->next = c->arena;
	c->arena = b;
	return b->data;
}

char *conf_arena_strndup(struct conf *c, const char *s, size_t n)
{
	char *d = conf_arena_alloc(c, n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void conf_destroy(void *arg)
{
	struct conf *c = arg;

	while (c->arena) {
		struct arena_blk *b = c->arena;

		c->arena = b->next;
		free(b);
	}
}

/* --- lookups ---------------------------------------------------------- */

static const struct conf_sect_def *find_def(const struct conf *c,
					    const char *name, size_t len)
{
	for (size_t i = 0; c->defs[i]; i++)
		if (strlen(c->defs[i]->name) == len &&
		    !strncmp(c->defs[i]->name, name, len))
			return c->defs[i];
	return NULL;
}

static struct conf_inst *find_inst(const struct conf *c,
				   const struct conf_sect_def *def,
				   const char *label)
{
	struct le *le;

	for (le = c->insts.head; le; le = le->next) {
		struct conf_inst *in = le->data;

		if (in->def != def)
			continue;
		if (!label || !in->label || !strcmp(label, in->label))
			return in;
	}
	return NULL;
}

static struct conf_inst *new_inst(struct conf *c,
				  const struct conf_sect_def *def,
				  const char *label, const char *file, int line)
{
	struct conf_inst *in;

	in = conf_arena_alloc(c, sizeof(*in) + def->size);
	if (!in)
		return NULL;
	in->klines = conf_arena_alloc(c, def->nkws * sizeof(int) + 1);
	in->kfiles = conf_arena_alloc(c, def->nkws * sizeof(char *) + 1);
	if (!in->klines || !in->kfiles)
		return NULL;
	in->def = def;
	in->label = label;
	in->file = file;
	in->line = line;
	list_append(&c->insts, &in->le, in);
	return in;
}

static const struct conf_kw *find_kw(const struct conf_sect_def *def,
				     const char *key, size_t *idx)
{
	for (size_t i = 0; i < def->nkws; i++)
		if (!strcmp(def->kws[i].name, key)) {
			*idx = i;
			return &def->kws[i];
		}
	return NULL;
}

/* --- line parsing ------------------------------------------------------ */

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Cut a ";" comment that follows white space (values such as SIP URIs
 * contain ";" themselves). */
static void cut_comment(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == ';' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_' && *s != '-')
			return false;
	return true;
}

static bool valid_label(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.+@", *s))
			return false;
	return true;
}

/* Unquote a "..." value in place: \" and \\ escapes; the rest may only be
 * white space or a comment. */
static int unquote(char *v, const char **why)
{
	char *r = v + 1, *w = v;

	for (;;) {
		if (!*r) {
			*why = "unterminated quoted string";
			return -EINVAL;
		}
		if (*r == '"')
			break;
		if (*r == '\\' && (r[1] == '"' || r[1] == '\\'))
			r++;
		*w++ = *r++;
	}
	r++;
	while (*r == ' ' || *r == '\t')
		r++;
	if (*r && *r != ';' && *r != '#') {
		*why = "text after closing quote";
		return -EINVAL;
	}
	*w = '\0';
	return 0;
}

static int parse_file(struct parser *p, const char *path, const char *from,
		      int fromline);

static void do_include(struct parser *p, const char *file, int line,
		       char *arg)
{
	char *dir, *full, *copy;
	const char *why = NULL;
	size_t n;

	arg = trim(arg);
	if (*arg == '"') {
		if (unquote(arg, &why)) {
			conf_err_add(p->errs, file, line, "#include", "%s", why);
			return;
		}
	} else {
		cut_comment(arg);
		arg = trim(arg);
	}
	if (!*arg) {
		conf_err_add(p->errs, file, line, "#include",
			     "missing file name");
		return;
	}
	if (arg[0] == '/') {
		full = conf_arena_strndup(p->c, arg, strlen(arg));
	} else {
		copy = strdup(file);
		if (!copy)
			return;
		dir = dirname(copy);
		n = strlen(dir) + strlen(arg) + 2;
		full = conf_arena_alloc(p->c, n);
		if (full)
			snprintf(full, n, "%s/%s", dir, arg);
		free(copy);
	}
	if (!full)
		return;
	/* a section does not continue across an include boundary */
	p->cur = NULL;
	p->skip = false;
	parse_file(p, full, file, line);
	p->cur = NULL;
	p->skip = false;
}

static void do_section(struct parser *p, const char *file, int line, char *s)
{
	const struct conf_sect_def *def;
	char *end = strchr(s, ']'), *name, *label = NULL;
	struct conf_inst *in;
	size_t nl;

	p->cur = NULL;
	p->skip = true;
	if (!end) {
		conf_err_add(p->errs, file, line, NULL,
			     "section header without closing ']'");
		return;
	}
	*end = '\0';
	cut_comment(end + 1);
	if (*trim(end + 1)) {
		conf_err_add(p->errs, file, line, NULL,
			     "text after section header");
		return;
	}
	name = trim(s + 1);
	nl = strcspn(name, " \t");
	if (name[nl]) {
		name[nl] = '\0';
		label = trim(name + nl + 1);
	}
	def = find_def(p->c, name, strlen(name));
	if (!def) {
		conf_err_add(p->errs, file, line, NULL, "unknown section [%s]",
			     name);
		return;
	}
	if (def->named && !label) {
		conf_err_add(p->errs, file, line, NULL,
			     "section [%s] needs a name: [%s NAME]", name,
			     name);
		return;
	}
	if (!def->named && label) {
		conf_err_add(p->errs, file, line, NULL,
			     "section [%s] takes no name", name);
		return;
	}
	if (label && !valid_label(label)) {
		conf_err_add(p->errs, file, line, NULL,
			     "bad name \"%s\" for [%s] (letters, digits, _-.+@)",
			     label, name);
		return;
	}
	in = find_inst(p->c, def, label);
	if (in) {
		conf_err_add(p->errs, file, line, NULL,
			     "[%s%s%s] already defined at %s:%d", name,
			     label ? " " : "", label ? label : "", in->file,
			     in->line);
		return;
	}
	in = new_inst(p->c, def,
		      label ? conf_arena_strndup(p->c, label, strlen(label)) :
			      NULL,
		      file, line);
	if (!in)
		return;
	p->cur = in;
	p->skip = false;
}

static void do_key(struct parser *p, const char *file, int line, char *s)
{
	char *eq = strchr(s, '='), *key, *val;
	const char *why = NULL;
	const struct conf_kw *kw;
	char reason[256];
	size_t idx;

	if (!eq) {
		conf_err_add(p->errs, file, line, NULL,
			     "expected \"key = value\", \"[section]\" or a "
			     "comment");
		return;
	}
	*eq = '\0';
	key = trim(s);
	val = trim(eq + 1);
	if (!valid_name(key)) {
		conf_err_add(p->errs, file, line, NULL,
			     "bad key name \"%s\" (lower case, digits, _ and -)",
			     key);
		return;
	}
	if (p->skip)
		return; /* the section header was already reported */
	if (!p->cur) {
		conf_err_add(p->errs, file, line, key,
			     "key outside of any section");
		return;
	}
	kw = find_kw(p->cur->def, key, &idx);
	if (!kw) {
		conf_err_add(p->errs, file, line, key,
			     "unknown key in [%s]", p->cur->def->name);
		return;
	}
	if (*val == '"') {
		if (unquote(val, &why)) {
			conf_err_add(p->errs, file, line, key, "%s", why);
			return;
		}
	} else {
		cut_comment(val);
		val = trim(val);
	}
	if (p->cur->klines[idx] && kw->type != CONF_STRLIST) {
		conf_err_add(p->errs, file, line, key,
			     "duplicate key (first set at %s:%d)",
			     p->cur->kfiles[idx], p->cur->klines[idx]);
		return;
	}
	reason[0] = '\0';
	if (conf_value_set(p->c, kw, p->cur->data + kw->off, val, reason,
			   sizeof(reason))) {
		conf_err_add(p->errs, file, line, key, "%s", reason);
		return;
	}
	p->cur->klines[idx] = line;
	p->cur->kfiles[idx] = file;
}

static int read_all(const char *path, char **out, size_t *len, int *err)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	char *d;

	if (!f) {
		*err = errno;
		return -1;
	}
	d = malloc(CONF_MAX_FILE + 1);
	if (!d) {
		fclose(f);
		*err = ENOMEM;
		return -1;
	}
	n = fread(d, 1, CONF_MAX_FILE + 1, f);
	if (ferror(f)) {
		*err = errno ? errno : EIO;
		fclose(f);
		free(d);
		return -1;
	}
	fclose(f);
	if (n > CONF_MAX_FILE) {
		free(d);
		*err = EFBIG;
		return -1;
	}
	d[n] = '\0';
	*out = d;
	*len = n;
	return 0;
}

static void parse_text(struct parser *p, const char *file, char *text,
		       size_t len)
{
	char *s = text, *end = text + len;
	int line = 0;

	if (memchr(text, '\0', len)) {
		conf_err_add(p->errs, file, 1, NULL,
			     "file contains a NUL byte (binary file?)");
		return;
	}
	while (s < end) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		char *l;

		if (nl)
			*nl = '\0';
		line++;
		if (strlen(s) > CONF_MAX_LINE) {
			conf_err_add(p->errs, file, line, NULL,
				     "line longer than %d bytes",
				     CONF_MAX_LINE);
		} else {
			l = trim(s);
			if (!strncmp(l, "#include", 8) &&
			    (l[8] == ' ' || l[8] == '\t' || l[8] == '"' ||
			     l[8] == '\0'))
				do_include(p, file, line, l + 8);
			else if (*l == '\0' || *l == ';' || *l == '#')
				;
			else if (*l == '[')
				do_section(p, file, line, l);
			else
				do_key(p, file, line, l);
		}
		if (!nl)
			break;
		s = nl + 1;
	}
}

static int parse_file(struct parser *p, const char *path, const char *from,
		      int fromline)
{
	char *text, *real;
	size_t len;
	int e;

	if (p->depth >= CONF_MAX_DEPTH) {
		conf_err_add(p->errs, from, fromline, "#include",
			     "includes nested deeper than %d", CONF_MAX_DEPTH);
		return -ELOOP;
	}
	if (read_all(path, &text, &len, &e)) {
		if (from)
			conf_err_add(p->errs, from, fromline, "#include",
				     "cannot read \"%s\": %s", path,
				     strerror(e));
		else
			conf_err_add(p->errs, path, 0, NULL,
				     "cannot read file: %s", strerror(e));
		return -e;
	}
	/* cycles are found by the file's real path, however it was named */
	real = realpath(path, NULL);
	for (int i = 0; real && i < p->depth; i++)
		if (p->stack[i] && !strcmp(p->stack[i], real)) {
			conf_err_add(p->errs, from, fromline, "#include",
				     "\"%s\" includes itself", path);
			free(real);
			free(text);
			return -ELOOP;
		}
	p->stack[p->depth++] =
		real ? conf_arena_strndup(p->c, real, strlen(real)) : NULL;
	free(real);
	parse_text(p, path, text, len);
	p->depth--;
	free(text);
	return 0;
}

/* Defaults, required keys and section checks, once everything is read. */
static void finish(struct parser *p)
{
	struct conf *c = p->c;
	char reason[256];
	struct le *le;

	for (size_t i = 0; c->defs[i]; i++)
		if (!c->defs[i]->named && !find_inst(c, c->defs[i], NULL))
			new_inst(c, c->defs[i], NULL, c->path, 0);

	for (le = c->insts.head; le; le = le->next) {
		struct conf_inst *in = le->data;
		const struct conf_sect_def *def = in->def;

		for (size_t k = 0; k < def->nkws; k++) {
			const struct conf_kw *kw = &def->kws[k];

			if (in->klines[k])
				continue;
			if (kw->flags & CONF_REQUIRED) {
				conf_err_add(p->errs, in->file, in->line,
					     kw->name, "required in [%s%s%s]",
					     def->name, in->label ? " " : "",
					     in->label ? in->label : "");
				continue;
			}
			if (!kw->def)
				continue;
			if (conf_value_set(c, kw, in->data + kw->off, kw->def,
					   reason, sizeof(reason)))
				conf_err_add(p->errs, in->file, in->line,
					     kw->name, "bad built-in default: %s",
					     reason);
		}
		if (def->check)
			def->check(in->data, in->label, p->errs, in->file,
				   in->line);
	}
}

static int load(const char *path, const char *text,
		const struct conf_sect_def *const *defs, struct conf **confp,
		struct conf_errs *errs)
{
	struct parser p = { .errs = errs };
	struct conf *c;
	size_t before = errs->n;

	*confp = NULL;
	c = mem_zalloc(sizeof(*c), conf_destroy);
	if (!c)
		return -ENOMEM;
	c->defs = defs;
	list_init(&c->insts);
	c->path = conf_arena_strndup(c, path, strlen(path));
	if (!c->path) {
		mem_deref(c);
		return -ENOMEM;
	}
	p.c = c;
	if (text) {
		char *t = strdup(text);

		if (!t) {
			mem_deref(c);
			return -ENOMEM;
		}
		p.stack[p.depth++] = NULL; /* a string has no real path */
		parse_text(&p, c->path, t, strlen(t));
		free(t);
	} else {
		parse_file(&p, c->path, NULL, 0);
	}
	if (errs->n == before)
		finish(&p);
	if (errs->n != before) {
		mem_deref(c);
		return -EINVAL;
	}
	*confp = c;
	return 0;
}

int conf_load(const char *path, const struct conf_sect_def *const *defs,
	      struct conf **confp, struct conf_errs *errs)
{
	return load(path, NULL, defs, confp, errs);
}

int conf_load_str(const char *name, const char *text,
		  const struct conf_sect_def *const *defs, struct conf **confp,
		  struct conf_errs *errs)
{
	return load(name, text, defs, confp, errs);
}

/* --- access ----------------------------------------------------------- */

static const struct conf_sect_def *def_by_name(const struct conf *c,
					       const char *name)
{
	return find_def(c, name, strlen(name));
}

const void *conf_get(const struct conf *c, const char *name)
{
	const struct conf_sect_def *def = def_by_name(c, name);
	struct conf_inst *in;

	if (!def || def->named)
		return NULL;
	in = find_inst(c, def, NULL);
	return in ? in->data : NULL;
}

const void *conf_next(const struct conf *c, const char *name,
		      const void *prev)
{
	const struct conf_sect_def *def = def_by_name(c, name);
	struct le *le;

	if (!def)
		return NULL;
	if (prev) {
		const struct conf_inst *pi = (const void *)((const char *)prev -
					     offsetof(struct conf_inst, data));
		le = pi->le.next;
	} else {
		le = c->insts.head;
	}
	for (; le; le = le->next) {
		struct conf_inst *in = le->data;

		if (in->def == def)
			return in->data;
	}
	return NULL;
}

const char *conf_label(const void *sect)
{
	const struct conf_inst *in = (const void *)((const char *)sect -
				     offsetof(struct conf_inst, data));
	return in->label;
}

size_t conf_count(const struct conf *c, const char *name)
{
	size_t n = 0;

	for (const void *s = conf_next(c, name, NULL); s;
	     s = conf_next(c, name, s))
		n++;
	return n;
}

const char *conf_path(const struct conf *c)
{
	return c->path;
}

/* --- reload ----------------------------------------------------------- */

int conf_keep_fixed(struct conf *newc, const struct conf *oldc,
		    conf_fixed_h *h, void *arg)
{
	int kept = 0;

	for (struct le *le = newc->insts.head; le; le = le->next) {
		struct conf_inst *ni = le->data;
		struct conf_inst *oi =
			find_inst(oldc, ni->def, ni->label ? ni->label : NULL);

		if (!oi || (ni->label && (!oi->label ||
					  strcmp(ni->label, oi->label))))
			continue;
		for (size_t k = 0; k < ni->def->nkws; k++) {
			const struct conf_kw *kw = &ni->def->kws[k];
			void *nf = ni->data + kw->off;
			const void *of = oi->data + kw->off;

			if (kw->flags & CONF_RELOAD)
				continue;
			if (conf_value_eq(kw, nf, of))
				continue;
			if (conf_value_copy(newc, kw, nf, of))
				return -ENOMEM;
			kept++;
			if (h)
				h(ni->klines[k] ? ni->kfiles[k] : ni->file,
				  ni->klines[k] ? ni->klines[k] : ni->line,
				  ni->def->name, kw->name, arg);
		}
	}
	return kept;
}
