// SPDX-License-Identifier: GPL-2.0
/* Levels and gain: the one place the dBm0 reference is defined. */
#include <math.h>

#include "dsp.h"

/* A full-scale sine (peak 32767, mean square 32767^2 / 2) is +3.14 dBm0. */
#define FULL_SCALE_SINE_POWER (32767.0 * 32767.0 / 2.0)
#define FULL_SCALE_SINE_DBM0 3.14

double tdm_dsp_power(const int16_t *amp, size_t n)
{
	double sum = 0;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)amp[i] * amp[i];
	return sum / (double)n;
}

double tdm_dsp_power_dbm0(double power)
{
	if (power < 1e-3)
		return -99.0;
	return 10.0 * log10(power / FULL_SCALE_SINE_POWER) +
	       FULL_SCALE_SINE_DBM0;
}

double tdm_dsp_level_dbm0(const int16_t *amp, size_t n)
{
	return tdm_dsp_power_dbm0(tdm_dsp_power(amp, n));
}

void tdm_dsp_gain(int16_t *amp, size_t n, double db)
{
	/* Q12 fixed point keeps the per-sample cost at one multiply */
	int32_t g = (int32_t)lrint(pow(10.0, db / 20.0) * 4096.0);

	if (g == 4096)
		return;
	for (size_t i = 0; i < n; i++) {
		int32_t v = (amp[i] * g) >> 12;

		amp[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
	}
}
