/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Goertzel filter the tests and test tools measure tones with: the
 * mean square of the component of @x (8 kHz samples) at @hz, so that a
 * sine of amplitude A at @hz gives A*A/2 over a whole number of periods.
 */
#ifndef TL_TESTS_GOERTZEL_H
#define TL_TESTS_GOERTZEL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

static inline double tl_goertzel(const int16_t *x, size_t n, double hz)
{
	double c = 2.0 * cos(2.0 * 3.14159265358979323846 * hz / 8000.0);
	double s1 = 0, s2 = 0;

	for (size_t i = 0; i < n; i++) {
		double s0 = x[i] + c * s1 - s2;

		s2 = s1;
		s1 = s0;
	}
	return 2.0 * (s1 * s1 + s2 * s2 - c * s1 * s2) / ((double)n * n);
}

#endif
