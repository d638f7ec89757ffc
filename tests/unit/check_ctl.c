// SPDX-License-Identifier: GPL-2.0
/* gateway/ctl: request splitting, reply rendering (text and JSON), command
 * dispatch, and the socket server with real clients. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/ctl/ctl.h"
#include "tl_check.h"

START_TEST(split_words)
{
	char line[] = "  show  \"a b\" c\\d \"q\\\"x\"\t end ";
	char *w[8];
	const char *why = NULL;

	ck_assert_int_eq(ctl_split(line, w, 8, &why), 5);
	ck_assert_str_eq(w[0], "show");
	ck_assert_str_eq(w[1], "a b");
	ck_assert_str_eq(w[2], "c\\d");
	ck_assert_str_eq(w[3], "q\"x");
	ck_assert_str_eq(w[4], "end");
}
END_TEST

START_TEST(split_errors)
{
	char a[] = "show \"open";
	char b[] = "a b c d";
	char c[] = "a \x01 b";
	char d[] = "   ";
	char *w[3];
	const char *why = NULL;

	ck_assert_int_eq(ctl_split(a, w, 3, &why), -EINVAL);
	ck_assert_str_eq(why, "unterminated quote");
	ck_assert_int_eq(ctl_split(b, w, 3, &why), -EINVAL);
	ck_assert_str_eq(why, "too many words");
	ck_assert_int_eq(ctl_split(c, w, 3, &why), -EINVAL);
	ck_assert_str_eq(why, "control character in request");
	ck_assert_int_eq(ctl_split(d, w, 3, &why), 0);
}
END_TEST

static void build_sample(struct ctl_reply *r)
{
	ctl_put_str(r, "name", "gw \"one\"\n");
	ctl_put_int(r, "uptime", 42);
	ctl_put_bool(r, "up", true);
	ctl_obj_begin(r, "sip");
	ctl_put_int(r, "port", 5060);
	ctl_obj_end(r);
	ctl_list_begin(r, "mods");
	ctl_put_str(r, NULL, "a");
	ctl_put_str(r, NULL, "b");
	ctl_list_end(r);
	ctl_list_begin(r, "calls");
	ctl_obj_begin(r, NULL);
	ctl_put_str(r, "id", "1");
	ctl_put_str(r, "state", "up");
	ctl_obj_end(r);
	ctl_obj_begin(r, NULL);
	ctl_put_str(r, "id", "22");
	ctl_put_str(r, "state", "ringing");
	ctl_obj_end(r);
	ctl_list_end(r);
	ctl_list_begin(r, "empty");
	ctl_list_end(r);
}

START_TEST(render_json)
{
	struct ctl_reply *r = ctl_reply_new();
	struct buf b = { 0 };

	build_sample(r);
	ck_assert_int_eq(ctl_render(r, true, &b), 0);
	ck_assert_str_eq(buf_cstr(&b),
			 "{\"name\":\"gw \\\"one\\\"\\n\",\"uptime\":42,"
			 "\"up\":true,\"sip\":{\"port\":5060},"
			 "\"mods\":[\"a\",\"b\"],\"calls\":[{\"id\":\"1\","
			 "\"state\":\"up\"},{\"id\":\"22\",\"state\":"
			 "\"ringing\"}],\"empty\":[]}\n");
	buf_free(&b);
	mem_deref(r);
}
END_TEST

START_TEST(render_text)
{
	struct ctl_reply *r = ctl_reply_new();
	struct buf b = { 0 };

	build_sample(r);
	ck_assert_int_eq(ctl_render(r, false, &b), 0);
	ck_assert_str_eq(buf_cstr(&b), "name: gw \"one\"\n\n"
				       "uptime: 42\n"
				       "up: yes\n"
				       "sip:\n"
				       "  port: 5060\n"
				       "mods: a, b\n"
				       "id  state\n"
				       "1   up\n"
				       "22  ringing\n"
				       "empty: (none)\n");
	buf_free(&b);
	mem_deref(r);
}
END_TEST

START_TEST(json_escapes_bad_utf8)
{
	struct buf b = { 0 };

	/* valid 2-byte é, a stray continuation byte, an overlong '/', DEL */
	ck_assert_int_eq(ctl_json_str(&b, "\xc3\xa9\x80\xc0\xaf\x7f\x01"), 0);
	ck_assert_str_eq(buf_cstr(&b),
			 "\"\xc3\xa9\\ufffd\\ufffd\\ufffd\\u007f\\u0001\"");
	buf_free(&b);
}
END_TEST

static int echo_h(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	(*(int *)arg)++;
	ctl_list_begin(r, "args");
	for (int i = 0; i < argc; i++)
		ctl_put_str(r, NULL, "%s", argv[i]);
	ctl_list_end(r);
	return 0;
}

static int fail_h(struct ctl_reply *r, int argc, char **argv, void *arg)
{
	(void)argc;
	(void)argv;
	(void)arg;
	ctl_put_str(r, "partial", "x");
	return ctl_fail(r, "no such call %s", argv[0]);
}

static const struct ctl_cmd cmds[] = {
	{ "show calls", NULL, "list calls", echo_h, 0, 0 },
	{ "show call", "ID", "one call", echo_h, 1, 1 },
	{ "call hangup", "ID", "hang up", fail_h, 1, 1 },
};

/* A framed reply: "OK|ERR <body length>\n<body>" (rotating buffers). */
static const char *FR(const char *status, const char *body)
{
	static char bufs[4][512];
	static int k;
	char *b = bufs[k++ % 4];

	snprintf(b, 512, "%s %zu\n%s", status, strlen(body), body);
	return b;
}

static const char *exec(struct ctl *ctl, const char *line, int *rc)
{
	static char out[4096];
	struct buf b = { 0 };

	*rc = ctl_exec(ctl, line, &b);
	snprintf(out, sizeof(out), "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

START_TEST(dispatch)
{
	struct loop *l = loop_new();
	struct ctl *ctl = ctl_new(l);
	int calls = 0, rc;

	ck_assert_int_eq(ctl_register(ctl, cmds, 3, &calls), 0);
	ck_assert_str_eq(exec(ctl, "show calls", &rc), FR("OK", "args: (none)\n"));
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(exec(ctl, "-j show call 7", &rc),
			 FR("OK", "{\"args\":[\"7\"]}\n"));
	ck_assert_int_eq(calls, 2);
	ck_assert_str_eq(exec(ctl, "show call", &rc),
			 FR("ERR", "error: usage: show call ID\n"));
	ck_assert_int_eq(rc, -EINVAL);
	ck_assert_str_eq(exec(ctl, "show", &rc),
			 FR("ERR", "error: incomplete command; try: show calls, "
			 "show call\n"));
	ck_assert_str_eq(exec(ctl, "frob x", &rc),
			 FR("ERR", "error: unknown command \"frob\" (try "
			 "\"help\")\n"));
	ck_assert_str_eq(exec(ctl, "-j call hangup 9", &rc),
			 FR("ERR", "{\"error\":\"no such call 9\"}\n"));
	ck_assert_int_eq(rc, -EINVAL);
	ck_assert_str_eq(exec(ctl, "", &rc),
			 FR("ERR", "error: empty request (try \"help\")\n"));
	ck_assert_str_eq(exec(ctl, "show \"x", &rc),
			 FR("ERR", "error: malformed request: unterminated "
			 "quote\n"));
	ck_assert(strstr(exec(ctl, "help", &rc), "\nshow call ID "));
	ck_assert(strstr(exec(ctl, "help", &rc), " one call\n"));
	ck_assert_int_eq(calls, 2);
	ctl_unregister(ctl, cmds);
	ck_assert(strstr(exec(ctl, "show calls", &rc), "unknown command"));
	mem_deref(ctl);
	mem_deref(l);
}
END_TEST

static int client_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* Pump the loop until @n bytes arrived on @fd or the peer closed. */
static size_t pump_read(struct loop *l, int fd, char *out, size_t max,
			size_t want)
{
	size_t got = 0;
	uint64_t end = loop_now_ms() + 2000;

	while (got < want && loop_now_ms() < end) {
		ssize_t n;

		loop_poll(l, 10);
		n = recv(fd, out + got, max - got - 1, MSG_DONTWAIT);
		if (n == 0)
			break;
		if (n > 0)
			got += (size_t)n;
	}
	out[got] = '\0';
	return got;
}

START_TEST(socket_clients)
{
	struct loop *l = loop_new();
	struct ctl *ctl = ctl_new(l);
	char path[128], out[8192], big[6000];
	int calls = 0, a, b, c;

	snprintf(path, sizeof(path), "%s/ctl.sock", tl_tmpdir());
	ctl_register(ctl, cmds, 3, &calls);
	ck_assert_int_eq(ctl_listen(ctl, path, 0600), 0);
	/* a second listener on a live socket is refused */
	{
		struct ctl *other = ctl_new(l);

		ck_assert_int_eq(ctl_listen(other, path, 0600), -EADDRINUSE);
		mem_deref(other);
	}
	a = client_connect(path);
	/* two requests in one write, answered in order */
	ck_assert_int_eq(send(a, "show call 1\nbogus\n", 18, 0), 18);
	pump_read(l, a, out, sizeof(out), 14 + 51);
	ck_assert(!strncmp(out, FR("OK", "args: 1\n"), 13));
	ck_assert_str_eq(out + 13, FR("ERR", "error: unknown command \"bogus\" "
					     "(try \"help\")\n"));
	/* an oversized request: error, then the connection closes... */
	b = client_connect(path);
	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(send(b, big, sizeof(big), 0), (ssize_t)sizeof(big));
	pump_read(l, b, out, sizeof(out), 100);
	ck_assert_str_eq(out, FR("ERR", "error: request line too long\n"));
	/* ...while the other client carries on */
	ck_assert_int_eq(send(a, "show calls\n", 11, 0), 11);
	pump_read(l, a, out, sizeof(out), 20);
	ck_assert_str_eq(out, FR("OK", "args: (none)\n"));
	/* a client that vanishes mid-request costs nothing */
	c = client_connect(path);
	ck_assert_int_eq(send(c, "show ca", 7, 0), 7);
	close(c);
	for (int i = 0; i < 5; i++)
		loop_poll(l, 10);
	ck_assert_uint_eq(ctl_nclients(ctl), 1);
	close(a);
	close(b);
	for (int i = 0; i < 5; i++)
		loop_poll(l, 10);
	ck_assert_uint_eq(ctl_nclients(ctl), 0);
	mem_deref(ctl);
	mem_deref(l);
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

START_TEST(client_limit)
{
	struct loop *l = loop_new();
	struct ctl *ctl = ctl_new(l);
	char path[128], out[256];
	int fds[3];

	snprintf(path, sizeof(path), "%s/lim.sock", tl_tmpdir());
	ctl_set_max_clients(ctl, 2);
	ck_assert_int_eq(ctl_listen(ctl, path, 0600), 0);
	for (int i = 0; i < 3; i++) {
		fds[i] = client_connect(path);
		loop_poll(l, 10);
	}
	pump_read(l, fds[2], out, sizeof(out), 27);
	ck_assert_str_eq(out, FR("ERR", "error: too many clients\n"));
	ck_assert_uint_eq(ctl_nclients(ctl), 2);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	mem_deref(ctl);
	mem_deref(l);
}
END_TEST

Suite *ctl_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc = tl_tcase(s, "ctl");

	tcase_add_test(tc, split_words);
	tcase_add_test(tc, split_errors);
	tcase_add_test(tc, render_json);
	tcase_add_test(tc, render_text);
	tcase_add_test(tc, json_escapes_bad_utf8);
	tcase_add_test(tc, dispatch);
	tcase_add_test(tc, socket_clients);
	tcase_add_test(tc, client_limit);
	return s;
}
