// SPDX-License-Identifier: GPL-2.0
/*
 * The echo canceller's inner loops, where nearly all of its time goes
 * (callgrind: the filter, the tap update and the delay search's
 * correlation were 97% of the 64 ms canceller's instructions).
 *
 * Plain loops stay scalar at -O2: a float sum may not be reordered
 * without -ffast-math, and the compiler cannot prove the arrays apart.
 * So the generic build uses GCC/clang vector types (four floats, two
 * sums in flight), and on x86-64 an AVX2 build with fused multiply-adds
 * (eight floats, two sums) is picked at run time when the CPU has both;
 * the binary still runs on any x86-64. The results differ from a scalar
 * loop only in the order of float additions.
 */
#include <stdlib.h>
#include <string.h>

#include "ec_kern.h"

typedef float v4sf __attribute__((vector_size(16)));

/* unaligned: the reference window moves by one sample each sample */
static inline v4sf ld4(const float *p)
{
	v4sf v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void st4(float *p, v4sf v)
{
	memcpy(p, &v, sizeof(v));
}

static float gen_nlms(float *w, const float *x, unsigned n, float g)
{
	v4sf a0 = { 0 }, a1 = { 0 }, gv = { g, g, g, g };
	unsigned k;

	if (g == 0.0f) {
		for (k = 0; k < n; k += 8) {
			a0 += ld4(w + k) * ld4(x + k);
			a1 += ld4(w + k + 4) * ld4(x + k + 4);
		}
	} else {
		for (k = 0; k < n; k += 8) {
			v4sf w0 = ld4(w + k) + gv * ld4(x + k + 1);
			v4sf w1 = ld4(w + k + 4) + gv * ld4(x + k + 5);

			st4(w + k, w0);
			st4(w + k + 4, w1);
			a0 += w0 * ld4(x + k);
			a1 += w1 * ld4(x + k + 4);
		}
	}
	a0 += a1;
	return a0[0] + a0[1] + a0[2] + a0[3];
}

static void gen_axpy(float *y, const float *x, unsigned n, float a)
{
	v4sf av = { a, a, a, a };

	for (unsigned k = 0; k < n; k += 4)
		st4(y + k, ld4(y + k) + av * ld4(x + k));
}

static float gen_energy(const float *x, unsigned n)
{
	v4sf a = { 0 };

	for (unsigned k = 0; k < n; k += 4)
		a += ld4(x + k) * ld4(x + k);
	return a[0] + a[1] + a[2] + a[3];
}

static const struct tdm_dsp_ec_kern kern_generic = {
	.name = "generic",
	.nlms = gen_nlms,
	.axpy = gen_axpy,
	.energy = gen_energy,
};

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

AVX2 static float hsum8(__m256 v)
{
	__m128 s = _mm_add_ps(_mm256_castps256_ps128(v),
			      _mm256_extractf128_ps(v, 1));

	s = _mm_add_ps(s, _mm_movehl_ps(s, s));
	s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
	return _mm_cvtss_f32(s);
}

AVX2 static float avx2_nlms(float *w, const float *x, unsigned n, float g)
{
	__m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
	__m256 gv = _mm256_set1_ps(g);
	unsigned k;

	if (g == 0.0f) {
		for (k = 0; k < n; k += 16) {
			a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + k),
					     _mm256_loadu_ps(x + k), a0);
			a1 = _mm256_fmadd_ps(_mm256_loadu_ps(w + k + 8),
					     _mm256_loadu_ps(x + k + 8), a1);
		}
	} else {
		for (k = 0; k < n; k += 16) {
			__m256 w0 = _mm256_fmadd_ps(gv,
						    _mm256_loadu_ps(x + k + 1),
						    _mm256_loadu_ps(w + k));
			__m256 w1 = _mm256_fmadd_ps(gv,
						    _mm256_loadu_ps(x + k + 9),
						    _mm256_loadu_ps(w + k + 8));

			_mm256_storeu_ps(w + k, w0);
			_mm256_storeu_ps(w + k + 8, w1);
			a0 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x + k), a0);
			a1 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x + k + 8),
					     a1);
		}
	}
	return hsum8(_mm256_add_ps(a0, a1));
}

AVX2 static void avx2_axpy(float *y, const float *x, unsigned n, float a)
{
	__m256 av = _mm256_set1_ps(a);

	for (unsigned k = 0; k < n; k += 8)
		_mm256_storeu_ps(y + k,
				 _mm256_fmadd_ps(av, _mm256_loadu_ps(x + k),
						 _mm256_loadu_ps(y + k)));
}

AVX2 static float avx2_energy(const float *x, unsigned n)
{
	__m256 a = _mm256_setzero_ps();

	for (unsigned k = 0; k < n; k += 8) {
		__m256 v = _mm256_loadu_ps(x + k);

		a = _mm256_fmadd_ps(v, v, a);
	}
	return hsum8(a);
}

static const struct tdm_dsp_ec_kern kern_avx2 = {
	.name = "avx2",
	.nlms = avx2_nlms,
	.axpy = avx2_axpy,
	.energy = avx2_energy,
};

const struct tdm_dsp_ec_kern *tdm_dsp_ec_kern_get(bool generic)
{
	const char *env = getenv("TRUNKLINE_DSP_SIMD");

	/* QEMU's TCG (the vm test tier) runs AVX2 and FMA since 7.2, but
	 * each FMA lane through softfloat: the 64 ms canceller then needs
	 * more than 20 ms per 20 ms frame, where the SSE build keeps up */
	if (env && !strcmp(env, "generic"))
		generic = true;
	if (!generic && __builtin_cpu_supports("avx2") &&
	    __builtin_cpu_supports("fma"))
		return &kern_avx2;
	return &kern_generic;
}
#else
const struct tdm_dsp_ec_kern *tdm_dsp_ec_kern_get(bool generic)
{
	(void)generic;
	return &kern_generic;
}
#endif
