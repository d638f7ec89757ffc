// SPDX-License-Identifier: GPL-2.0
/*
 * One runner for every tests/unit/check_<module>.c suite (the list is made
 * by the Makefile). Prints a line per failed test, then "N passed, N failed".
 *
 *   runner [SUITE...]     run only the named suites
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../gateway/base/mem.h"
#include "tl_check.h"

static const struct {
	const char *name;
	Suite *(*make)(void);
} suites[] = {
#define SUITE(name) { #name, name##_suite },
#include "suites.h"
#undef SUITE
};

static size_t live_at_start;

static void leak_setup(void)
{
	live_at_start = mem_live();
}

static void leak_teardown(void)
{
	ck_assert_msg(mem_live() == live_at_start,
		      "test leaked %zu mem objects",
		      mem_live() - live_at_start);
}

TCase *tl_tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, leak_setup, leak_teardown);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return tc;
}

const char *tl_tmpdir(void)
{
	static char dir[64];

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/tl-unit-%d", (int)getpid());
		if (mkdir(dir, 0700) && access(dir, W_OK))
			abort();
	}
	return dir;
}

int main(int argc, char **argv)
{
	SRunner *sr = NULL;
	int failed, run;

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		bool want = argc < 2;

		for (int a = 1; a < argc; a++)
			if (!strcmp(argv[a], suites[i].name))
				want = true;
		if (!want)
			continue;
		if (!sr)
			sr = srunner_create(suites[i].make());
		else
			srunner_add_suite(sr, suites[i].make());
	}
	if (!sr) {
		fprintf(stderr, "runner: no such suite\n");
		return 2;
	}
	srunner_run_all(sr, CK_NORMAL);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("%d passed, %d failed\n", run - failed, failed);
	return failed ? 1 : 0;
}
