// SPDX-License-Identifier: GPL-2.0
/*
 * The echo canceller's inner loops (tdm/dsp/ec_kern.c): the best build
 * for this CPU (AVX2/FMA here) and the portable one must both compute
 * the NLMS step, axpy and energy of a plain scalar loop in double
 * precision, to float rounding, at every tap count the canceller uses
 * and at the unaligned offsets its moving window gives.
 */
#include <math.h>
#include <stdlib.h>

#include "../../tdm/dsp/ec_kern.h"
#include "tl_check.h"

#define NMAX 2048

static float xs[NMAX + 8], ws[NMAX], wb[NMAX];

static void fill(unsigned seed)
{
	srand(seed);
	for (unsigned i = 0; i < NMAX + 8; i++)
		xs[i] = (float)(rand() % 20001 - 10000) / 10000.0f;
	for (unsigned i = 0; i < NMAX; i++)
		ws[i] = (float)(rand() % 2001 - 1000) / 10000.0f;
}

static void check_kern(const struct tdm_dsp_ec_kern *k)
{
	static const unsigned taps[] = { 64, 128, 256, 512, 1024, 2048 };

	for (unsigned t = 0; t < 6; t++) {
		unsigned n = taps[t];

		for (unsigned off = 0; off < 4; off++) {
			const float *x = xs + off;
			float g = off ? 0.01f * (float)off : 0.0f, got;
			double want = 0, e = 0, tol;

			fill(n + off);
			for (unsigned i = 0; i < n; i++)
				wb[i] = ws[i];
			for (unsigned i = 0; i < n; i++) {
				double w = (double)ws[i] + g * (double)x[i + 1];

				want += w * x[i];
				e += (double)x[i] * x[i];
			}
			got = k->nlms(wb, x, n, g);
			/* a float sum of n terms near 1 */
			tol = 1e-5 * n;
			ck_assert_msg(fabs(got - want) < tol,
				      "%s nlms n=%u off=%u: %g want %g",
				      k->name, n, off, got, want);
			for (unsigned i = 0; i < n; i++)
				ck_assert_msg(fabsf(wb[i] - (ws[i] +
							     g * x[i + 1])) <
						      1e-6f,
					      "%s nlms tap %u", k->name, i);
			ck_assert_msg(fabs(k->energy(x, n) - e) < tol,
				      "%s energy n=%u", k->name, n);
			k->axpy(wb, x, n, 0.5f);
			for (unsigned i = 0; i < n; i++)
				ck_assert_msg(fabsf(wb[i] - (ws[i] +
							     g * x[i + 1] +
							     0.5f * x[i])) <
						      1e-5f,
					      "%s axpy %u", k->name, i);
		}
	}
}

START_TEST(kern_best)
{
	const struct tdm_dsp_ec_kern *k = tdm_dsp_ec_kern_get(false);

	ck_assert_ptr_nonnull(k);
	check_kern(k);
}
END_TEST

START_TEST(kern_generic)
{
	const struct tdm_dsp_ec_kern *k = tdm_dsp_ec_kern_get(true);

	ck_assert_str_eq(k->name, "generic");
	check_kern(k);
}
END_TEST

Suite *tdm_ec_kern_suite(void)
{
	Suite *s = suite_create("tdm_ec_kern");
	TCase *tc = tl_tcase(s, "kern");

	tcase_add_test(tc, kern_best);
	tcase_add_test(tc, kern_generic);
	return s;
}
