/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The echo canceller's inner loops (ec_kern.c), in two builds chosen at
 * run time: AVX2 with FMA where the CPU has them, and portable vector C
 * (GCC/clang vector extensions: SSE on x86-64, NEON on arm64) elsewhere.
 * Internal to tdm/dsp.
 */
#ifndef TL_TDM_DSP_EC_KERN_H
#define TL_TDM_DSP_EC_KERN_H

#include <stdbool.h>

struct tdm_dsp_ec_kern {
	const char *name; /* "avx2" or "generic" */
	/*
	 * One NLMS step over @n taps (a multiple of 16): first the update
	 * the previous sample left pending, w[k] += g * x[k + 1] (x[k + 1]
	 * is the previous sample's x[k]; g = 0: none), then the filter's
	 * output sum(w[k] * x[k]) with the updated taps. One pass over w
	 * for both, where a filter loop and an update loop took two.
	 */
	float (*nlms)(float *w, const float *x, unsigned n, float g);
	/* y[k] += a * x[k] over @n (a multiple of 16) */
	void (*axpy)(float *y, const float *x, unsigned n, float a);
	/* sum(x[k]^2) over @n (a multiple of 16) */
	float (*energy)(const float *x, unsigned n);
};

/* The best build this CPU runs; @generic, or TRUNKLINE_DSP_SIMD=generic
 * in the environment: the portable one. */
const struct tdm_dsp_ec_kern *tdm_dsp_ec_kern_get(bool generic);

#endif
