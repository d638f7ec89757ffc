/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the Check suites: a test case that fails a test that leaks. */
#ifndef TL_TESTS_CHECK_H
#define TL_TESTS_CHECK_H

#include <check.h>

/* A TCase whose every test must leave mem_live() as it found it. */
TCase *tl_tcase(Suite *s, const char *name);

/* Every suite's constructor: SUITE(name) -> Suite *name_suite(void); the
 * list is made by the Makefile from the check_<name>.c files. */
#define SUITE(name) Suite *name##_suite(void);
#include "suites.h"
#undef SUITE

/* Path of a scratch directory for this test run (created on demand). */
const char *tl_tmpdir(void);

#endif
