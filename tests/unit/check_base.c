// SPDX-License-Identifier: GPL-2.0
/* gateway/base: mem, list, buf, strv, sa */
#include <errno.h>
#include <string.h>

#include "../../gateway/base/buf.h"
#include "../../gateway/base/list.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/base/sa.h"
#include "../../gateway/base/strv.h"
#include "tl_check.h"

static int destroyed;

static void count_destroy(void *arg)
{
	(void)arg;
	destroyed++;
}

START_TEST(mem_refcount)
{
	size_t live = mem_live();
	int *p = mem_zalloc(sizeof(*p), count_destroy);

	destroyed = 0;
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(*p, 0);
	ck_assert_uint_eq(mem_live(), live + 1);
	ck_assert_ptr_eq(mem_ref(p), p);
	ck_assert_uint_eq(mem_nrefs(p), 2);
	ck_assert_ptr_null(mem_deref(p));
	ck_assert_int_eq(destroyed, 0);
	ck_assert_ptr_null(mem_deref(p));
	ck_assert_int_eq(destroyed, 1);
	ck_assert_uint_eq(mem_live(), live);
	ck_assert_ptr_null(mem_deref(NULL));
}
END_TEST

START_TEST(mem_strings)
{
	char *s = mem_strdup("hello");
	char *t = mem_strndup("hello world", 5);

	ck_assert_str_eq(s, "hello");
	ck_assert_str_eq(t, "hello");
	ck_assert_ptr_null(mem_strdup(NULL));
	mem_deref(s);
	mem_deref(t);
}
END_TEST

START_TEST(list_ops)
{
	struct list l = LIST_INIT;
	struct le a = { 0 }, b = { 0 }, c = { 0 }, *e, *nx;
	int va = 1, vb = 2, vc = 3, sum = 0;

	list_append(&l, &b, &vb);
	list_prepend(&l, &a, &va);
	list_append(&l, &c, &vc);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_ptr_eq(l.head, &a);
	ck_assert_ptr_eq(l.tail, &c);
	LIST_FOREACH(&l, e, nx)
	{
		sum = sum * 10 + *(int *)e->data;
		if (e == &b)
			list_unlink(e); /* unlink while iterating */
	}
	ck_assert_int_eq(sum, 123);
	ck_assert_uint_eq(l.n, 2);
	ck_assert(!list_linked(&b));
	list_unlink(&b); /* unlinking twice is harmless */
	list_unlink(&a);
	list_unlink(&c);
	ck_assert_ptr_null(l.head);
	ck_assert_ptr_null(l.tail);
}
END_TEST

START_TEST(buf_grow_and_limits)
{
	struct buf b = { 0 };

	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(buf_printf(&b, "%04d,", i), 0);
	ck_assert_uint_eq(b.len, 5000);
	ck_assert(!memcmp(b.data + 4995, "0999,", 5));
	buf_consume(&b, 4995);
	ck_assert_str_eq(buf_cstr(&b), "0999,");
	buf_free(&b);

	b.max = 16;
	ck_assert_int_eq(buf_puts(&b, "0123456789"), 0);
	ck_assert_int_eq(buf_puts(&b, "0123456789"), -EMSGSIZE);
	ck_assert_uint_eq(b.len, 10);
	buf_free(&b);
}
END_TEST

START_TEST(strv_ops)
{
	struct strv v = STRV("  Content-Length \r\n");
	uint64_t n;

	v = strv_trim(v);
	ck_assert(strv_caseeq_str(v, "content-length"));
	ck_assert(!strv_eq(v, STRV("content-length")));
	ck_assert_int_eq(strv_u64(STRV("1234"), 65535, &n), 0);
	ck_assert_uint_eq(n, 1234);
	ck_assert_int_eq(strv_u64(STRV("65536"), 65535, &n), -ERANGE);
	ck_assert_int_eq(strv_u64(STRV("18446744073709551616"), UINT64_MAX,
				  &n),
			 -ERANGE);
	ck_assert_int_eq(strv_u64(STRV("12a"), 65535, &n), -EINVAL);
	ck_assert_int_eq(strv_u64(STRV(""), 65535, &n), -EINVAL);
}
END_TEST

START_TEST(sa_parse_print)
{
	char b[SA_STRLEN];
	struct sa a, c;

	ck_assert_int_eq(sa_parse(&a, "127.0.0.1:5060", 0), 0);
	ck_assert_str_eq(sa_str(&a, b, sizeof(b)), "127.0.0.1:5060");
	ck_assert_int_eq(sa_parse(&a, "[::1]:5061", 0), 0);
	ck_assert_str_eq(sa_str(&a, b, sizeof(b)), "[::1]:5061");
	ck_assert_int_eq(sa_parse(&a, "fd00::1", 5060), 0);
	ck_assert_uint_eq(sa_port(&a), 5060);
	ck_assert_int_eq(sa_parse(&c, "[fd00::1]:5060", 0), 0);
	ck_assert(sa_eq(&a, &c));
	ck_assert_int_eq(sa_parse(&a, "198.18.0.1", 0), -EINVAL);
	ck_assert_int_eq(sa_parse(&a, "198.18.0.1:0", 0), -EINVAL);
	ck_assert_int_eq(sa_parse(&a, "198.18.0.1:70000", 0), -EINVAL);
	ck_assert_int_eq(sa_parse(&a, "host.example:5060", 0), -EINVAL);
	ck_assert_int_eq(sa_parse(&a, "[::1", 0), -EINVAL);
	ck_assert_int_eq(sa_parse(&a, "[::1]x", 0), -EINVAL);
}
END_TEST

Suite *base_suite(void)
{
	Suite *s = suite_create("base");
	TCase *tc = tl_tcase(s, "base");

	tcase_add_test(tc, mem_refcount);
	tcase_add_test(tc, mem_strings);
	tcase_add_test(tc, list_ops);
	tcase_add_test(tc, buf_grow_and_limits);
	tcase_add_test(tc, strv_ops);
	tcase_add_test(tc, sa_parse_print);
	return s;
}
