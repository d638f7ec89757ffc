// SPDX-License-Identifier: GPL-2.0
/* gateway/ctl/conf: the config parser, every error with file:line,
 * includes, and the reload policy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/ctl/conf.h"
#include "tl_check.h"

struct gen {
	char *name;
	int64_t count;
	bool flag;
	int mode;
	uint64_t wait;
	struct sa addr;
	struct conf_strlist list;
	char *fixed;
};

struct peer {
	char *host;
	int64_t port;
	char *uri;
};

static const char *const modes[] = { "off", "optional", "mandatory", NULL };

static int check_even(const void *f, char *why, size_t n)
{
	if (*(const int64_t *)f % 2) {
		snprintf(why, n, "must be even");
		return -EINVAL;
	}
	return 0;
}

static const struct conf_kw gen_kws[] = {
	{ "name", CONF_STR, offsetof(struct gen, name), "gw", 0, 0, NULL, NULL,
	  CONF_RELOAD, NULL },
	{ "count", CONF_INT, offsetof(struct gen, count), "4", 0, 100, NULL,
	  check_even, CONF_RELOAD, NULL },
	{ "flag", CONF_BOOL, offsetof(struct gen, flag), "no", 0, 0, NULL, NULL,
	  CONF_RELOAD, NULL },
	{ "mode", CONF_ENUM, offsetof(struct gen, mode), "off", 0, 0, modes,
	  NULL, CONF_RELOAD, NULL },
	{ "wait", CONF_MS, offsetof(struct gen, wait), "2s", 10, 3600000, NULL,
	  NULL, CONF_RELOAD, NULL },
	{ "addr", CONF_ADDR, offsetof(struct gen, addr), "127.0.0.1", 5060, 0,
	  NULL, NULL, 0, NULL },
	{ "list", CONF_STRLIST, offsetof(struct gen, list), NULL, 0, 0, NULL,
	  NULL, CONF_RELOAD, NULL },
	{ "fixed", CONF_STR, offsetof(struct gen, fixed), "a", 0, 0, NULL, NULL,
	  0, NULL },
};

static void peer_check(void *sect, const char *name, struct conf_errs *errs,
		       const char *file, int line)
{
	struct peer *p = sect;

	if (p->port == 5061 && strncmp(p->uri, "sips:", 5))
		conf_err_add(errs, file, line, name,
			     "port 5061 needs a sips: uri");
}

static const struct conf_kw peer_kws[] = {
	{ "host", CONF_STR, offsetof(struct peer, host), NULL, 0, 0, NULL, NULL,
	  CONF_REQUIRED | CONF_RELOAD, NULL },
	{ "port", CONF_INT, offsetof(struct peer, port), "5060", 1, 65535,
	  NULL, NULL, CONF_RELOAD, NULL },
	{ "uri", CONF_STR, offsetof(struct peer, uri), "sip:x", 0, 0, NULL,
	  NULL, CONF_RELOAD, NULL },
};

static const struct conf_sect_def gen_def = {
	.name = "general",
	.size = sizeof(struct gen),
	.kws = gen_kws,
	.nkws = sizeof(gen_kws) / sizeof(gen_kws[0]),
};

static const struct conf_sect_def peer_def = {
	.name = "peer",
	.named = true,
	.size = sizeof(struct peer),
	.kws = peer_kws,
	.nkws = sizeof(peer_kws) / sizeof(peer_kws[0]),
	.check = peer_check,
};

static const struct conf_sect_def *const defs[] = { &gen_def, &peer_def,
						    NULL };

/* Load @text; return the first error message (static) or NULL. */
static const char *first_err(const char *text, size_t *nerr)
{
	static char msg[1024];
	struct conf_errs errs;
	struct conf *c = NULL;
	int err;

	conf_errs_init(&errs);
	err = conf_load_str("t.conf", text, defs, &c, &errs);
	*nerr = errs.n;
	msg[0] = '\0';
	if (errs.l.head)
		snprintf(msg, sizeof(msg), "%s",
			 ((struct conf_err *)errs.l.head->data)->msg);
	conf_errs_clear(&errs);
	if (!err) {
		ck_assert_ptr_nonnull(c);
		mem_deref(c);
		return NULL;
	}
	ck_assert_ptr_null(c);
	return msg;
}

START_TEST(valid_all_types)
{
	static const char text[] =
		"; a comment\n"
		"# another\n"
		"[general]\n"
		"name = \"my gw ; with \\\"quotes\\\"\"  ; trailing\n"
		"count=42\n"
		"flag = on\n"
		"mode = mandatory\n"
		"wait = 250ms\n"
		"addr = [fd00::5]:5070\n"
		"list = a, b\n"
		"list = c\n"
		"\n"
		"[peer carrier-1]\n"
		"host = 198.18.0.10\n"
		"uri = sip:gw@198.18.0.10;transport=tcp ; comment\n"
		"[peer b]\r\n"
		"host = 198.18.0.11\r\n";
	struct conf_errs errs;
	struct conf *c;
	const struct gen *g;
	const struct peer *p;
	char b[SA_STRLEN];

	conf_errs_init(&errs);
	ck_assert_int_eq(conf_load_str("t.conf", text, defs, &c, &errs), 0);
	ck_assert_uint_eq(errs.n, 0);
	g = conf_get(c, "general");
	ck_assert_str_eq(g->name, "my gw ; with \"quotes\"");
	ck_assert_int_eq(g->count, 42);
	ck_assert(g->flag);
	ck_assert_int_eq(g->mode, 2);
	ck_assert_uint_eq(g->wait, 250);
	ck_assert_str_eq(sa_str(&g->addr, b, sizeof(b)), "[fd00::5]:5070");
	ck_assert_uint_eq(g->list.n, 3);
	ck_assert_str_eq(g->list.v[2], "c");
	ck_assert_str_eq(g->fixed, "a");
	ck_assert_uint_eq(conf_count(c, "peer"), 2);
	p = conf_next(c, "peer", NULL);
	ck_assert_str_eq(conf_label(p), "carrier-1");
	ck_assert_str_eq(p->uri, "sip:gw@198.18.0.10;transport=tcp");
	ck_assert_int_eq(p->port, 5060);
	p = conf_next(c, "peer", p);
	ck_assert_str_eq(conf_label(p), "b");
	ck_assert_str_eq(p->host, "198.18.0.11");
	ck_assert_ptr_null(conf_next(c, "peer", p));
	mem_deref(c);
}
END_TEST

START_TEST(defaults_when_absent)
{
	struct conf_errs errs;
	struct conf *c;
	const struct gen *g;

	conf_errs_init(&errs);
	ck_assert_int_eq(conf_load_str("t.conf", "", defs, &c, &errs), 0);
	g = conf_get(c, "general");
	ck_assert_ptr_nonnull(g);
	ck_assert_str_eq(g->name, "gw");
	ck_assert_int_eq(g->count, 4);
	ck_assert_uint_eq(g->wait, 2000);
	ck_assert_uint_eq(sa_port(&g->addr), 5060);
	ck_assert_uint_eq(g->list.n, 0);
	ck_assert_uint_eq(conf_count(c, "peer"), 0);
	mem_deref(c);
}
END_TEST

static const struct {
	const char *text;
	const char *err;
} bad[] = {
	{ "[general]\nnope = 1\n", "t.conf:2: nope: unknown key in [general]" },
	{ "[bogus]\nx = 1\n", "t.conf:1: unknown section [bogus]" },
	{ "[general]\ncount = 2\ncount = 4\n",
	  "t.conf:3: count: duplicate key (first set at t.conf:2)" },
	{ "[general]\n[general]\n",
	  "t.conf:2: [general] already defined at t.conf:1" },
	{ "[general]\ncount = x\n", "t.conf:2: count: \"x\" is not a whole number" },
	{ "[general]\ncount = 102\n",
	  "t.conf:2: count: 102 is out of range [0, 100]" },
	{ "[general]\ncount = 3\n", "t.conf:2: count: must be even" },
	{ "[general]\nflag = maybe\n",
	  "t.conf:2: flag: \"maybe\" is not yes/no, true/false, on/off or 1/0" },
	{ "[general]\nmode = some\n",
	  "t.conf:2: mode: \"some\" is not one of: off, optional, mandatory" },
	{ "[general]\nwait = 5\n",
	  "t.conf:2: wait: \"5\" is not a duration (e.g. 250ms, 2s, 5m, 1h)" },
	{ "[general]\nwait = 2h\n",
	  "t.conf:2: wait: 7200000ms is out of range [10ms, 3600000ms]" },
	{ "[general]\naddr = gw.example:5060\n",
	  "t.conf:2: addr: \"gw.example:5060\" is not a numeric address (ip, "
	  "ip:port, [ipv6]:port)" },
	{ "[general]\nname = \"abc\n",
	  "t.conf:2: name: unterminated quoted string" },
	{ "[general]\nname = \"abc\" def\n",
	  "t.conf:2: name: text after closing quote" },
	{ "count = 2\n", "t.conf:1: count: key outside of any section" },
	{ "[general]\njust words\n",
	  "t.conf:2: expected \"key = value\", \"[section]\" or a comment" },
	{ "[general\n", "t.conf:1: section header without closing ']'" },
	{ "[general] x\n", "t.conf:1: text after section header" },
	{ "[peer]\n", "t.conf:1: section [peer] needs a name: [peer NAME]" },
	{ "[general x]\n", "t.conf:1: section [general] takes no name" },
	{ "[peer a/b]\n",
	  "t.conf:1: bad name \"a/b\" for [peer] (letters, digits, _-.+@)" },
	{ "[peer a]\nport = 5\n", "t.conf:1: host: required in [peer a]" },
	{ "[peer a]\nhost = h\nport = 5061\n",
	  "t.conf:1: a: port 5061 needs a sips: uri" },
	{ "[peer a]\nhost = h\n[peer a]\nhost = i\n",
	  "t.conf:3: [peer a] already defined at t.conf:1" },
	{ "[general]\nList = a\n",
	  "t.conf:2: bad key name \"List\" (lower case, digits, _ and -)" },
	{ "[general]\nlist = a,,b\n", "t.conf:2: list: empty item in list \"a,,b\"" },
	{ "#include \"/nonexistent/x.conf\"\n",
	  "t.conf:1: #include: cannot read \"/nonexistent/x.conf\": No such file "
	  "or directory" },
	{ "#include\n", "t.conf:1: #include: missing file name" },
};

START_TEST(each_error)
{
	size_t n;
	const char *msg = first_err(bad[_i].text, &n);

	ck_assert_msg(msg != NULL, "accepted: %s", bad[_i].text);
	ck_assert_str_eq(msg, bad[_i].err);
}
END_TEST

START_TEST(all_errors_reported)
{
	size_t n;

	/* three independent errors: all three are reported, not just one */
	ck_assert_ptr_nonnull(first_err(
		"[general]\ncount = x\nflag = maybe\n[bogus]\n", &n));
	ck_assert_uint_eq(n, 3);
	/* keys in an unknown section are not reported a second time */
	ck_assert_ptr_nonnull(first_err("[bogus]\na = 1\nb = 2\n", &n));
	ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(binary_and_long_lines)
{
	char *big;
	size_t n;
	const char *msg;
	static const char nul[] = "[general]\nname = a\0b\n";
	char path[256];
	FILE *f;
	struct conf_errs errs;
	struct conf *c;

	big = malloc(6000);
	memset(big, 'x', 5999);
	big[5999] = '\0';
	memcpy(big, "[general]\nname = ", 17);
	msg = first_err(big, &n);
	ck_assert_str_eq(msg, "t.conf:2: line longer than 4096 bytes");
	free(big);

	snprintf(path, sizeof(path), "%s/nul.conf", tl_tmpdir());
	f = fopen(path, "wb");
	fwrite(nul, 1, sizeof(nul) - 1, f);
	fclose(f);
	conf_errs_init(&errs);
	ck_assert_int_eq(conf_load(path, defs, &c, &errs), -EINVAL);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert(strstr(((struct conf_err *)errs.l.head->data)->msg,
			 "nul.conf:1: file contains a NUL byte"));
	conf_errs_clear(&errs);
	unlink(path);
}
END_TEST

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(includes)
{
	char dir[256], main_path[300], sub[300];
	struct conf_errs errs;
	struct conf *c;
	const struct peer *p;
	const char *m;

	snprintf(dir, sizeof(dir), "%s/inc", tl_tmpdir());
	mkdir(dir, 0700);
	snprintf(sub, sizeof(sub), "%s/peers", dir);
	mkdir(sub, 0700);
	write_file(dir, "main.conf",
		   "[general]\nname = main\n#include \"peers/p.conf\"\n"
		   "[peer z]\nhost = 198.18.0.3\n");
	write_file(sub, "p.conf", "; peers\n[peer a]\nhost = 198.18.0.1\n"
				  "#include q.conf\n");
	write_file(sub, "q.conf", "[peer b]\nhost = 198.18.0.2\nbad = 1\n");
	snprintf(main_path, sizeof(main_path), "%s/main.conf", dir);
	conf_errs_init(&errs);
	/* the error names the included file and its own line */
	ck_assert_int_eq(conf_load(main_path, defs, &c, &errs), -EINVAL);
	ck_assert_uint_eq(errs.n, 1);
	m = ((struct conf_err *)errs.l.head->data)->msg;
	ck_assert_msg(strstr(m, "/peers/q.conf:3: bad: unknown key in [peer]"),
		      "%s", m);
	conf_errs_clear(&errs);

	write_file(sub, "q.conf", "[peer b]\nhost = 198.18.0.2\n");
	ck_assert_int_eq(conf_load(main_path, defs, &c, &errs), 0);
	ck_assert_uint_eq(conf_count(c, "peer"), 3);
	p = conf_next(c, "peer", NULL);
	ck_assert_str_eq(conf_label(p), "a");
	mem_deref(c);

	/* a file that includes itself (through another) */
	write_file(sub, "q.conf", "#include \"../main.conf\"\n");
	ck_assert_int_eq(conf_load(main_path, defs, &c, &errs), -EINVAL);
	m = ((struct conf_err *)errs.l.head->data)->msg;
	ck_assert_msg(strstr(m, "includes itself"), "%s", m);
	conf_errs_clear(&errs);
}
END_TEST

static int nfixed;
static char fixed_msg[256];

static void on_fixed(const char *file, int line, const char *sect,
		     const char *key, void *arg)
{
	(void)arg;
	nfixed++;
	snprintf(fixed_msg, sizeof(fixed_msg), "%s:%d: [%s] %s", file, line,
		 sect, key);
}

START_TEST(reload_policy)
{
	struct conf_errs errs;
	struct conf *old, *newc;
	const struct gen *g;

	conf_errs_init(&errs);
	ck_assert_int_eq(conf_load_str("a.conf",
				       "[general]\nname = one\nfixed = x\n"
				       "addr = 198.18.0.1:5060\n",
				       defs, &old, &errs),
			 0);
	ck_assert_int_eq(conf_load_str("b.conf",
				       "[general]\nname = two\n\nfixed = y\n"
				       "addr = 198.18.0.1:5060\n",
				       defs, &newc, &errs),
			 0);
	nfixed = 0;
	ck_assert_int_eq(conf_keep_fixed(newc, old, on_fixed, NULL), 1);
	ck_assert_int_eq(nfixed, 1);
	ck_assert_str_eq(fixed_msg, "b.conf:4: [general] fixed");
	g = conf_get(newc, "general");
	/* reloadable key changed, fixed key kept its old value */
	ck_assert_str_eq(g->name, "two");
	ck_assert_str_eq(g->fixed, "x");
	/* the kept string lives in the new conf: the old one may go */
	mem_deref(old);
	ck_assert_str_eq(g->fixed, "x");
	mem_deref(newc);
}
END_TEST

START_TEST(reload_rejects_bad_file)
{
	char dir[256], path[300];
	struct conf_errs errs;
	struct conf *live, *c = (struct conf *)0x1;
	const struct gen *g;

	snprintf(dir, sizeof(dir), "%s", tl_tmpdir());
	write_file(dir, "r.conf", "[general]\nname = good\n");
	snprintf(path, sizeof(path), "%s/r.conf", dir);
	conf_errs_init(&errs);
	ck_assert_int_eq(conf_load(path, defs, &live, &errs), 0);
	write_file(dir, "r.conf", "[general]\nname = bad\ncount = 7\n");
	ck_assert_int_eq(conf_load(path, defs, &c, &errs), -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_uint_eq(errs.n, 1);
	conf_errs_clear(&errs);
	g = conf_get(live, "general");
	ck_assert_str_eq(g->name, "good");
	mem_deref(live);
	unlink(path);
}
END_TEST

Suite *conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tl_tcase(s, "conf");

	tcase_add_test(tc, valid_all_types);
	tcase_add_test(tc, defaults_when_absent);
	tcase_add_loop_test(tc, each_error, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, all_errors_reported);
	tcase_add_test(tc, binary_and_long_lines);
	tcase_add_test(tc, includes);
	tcase_add_test(tc, reload_policy);
	tcase_add_test(tc, reload_rejects_bad_file);
	return s;
}
