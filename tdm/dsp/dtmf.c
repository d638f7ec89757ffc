// SPDX-License-Identifier: GPL-2.0
/* DTMF generation and detection on spandsp's dtmf_tx/dtmf_rx. */
#include <errno.h>
#include <string.h>

#include <spandsp.h>

#include "../../gateway/base/mem.h"
#include "dsp.h"

/* Q.24 asks receivers to accept 40 ms tones; 80 ms on and off is what
 * exchanges send and leaves margin for jitter on the far side. */
#define DTMF_ON_MS 80
#define DTMF_OFF_MS 80
#define DTMF_LEVEL_DBM0 -10
#define DTMF_TWIST_DB 2 /* high group 2 dB above low: line tilt */

struct tdm_dsp_dtmf_tx {
	dtmf_tx_state_t *st; /* owned */
	size_t queued;	     /* samples left of queued digits, an estimate */
};

struct tdm_dsp_dtmf_rx {
	dtmf_rx_state_t *st; /* owned */
	tdm_dsp_digit_h *h;
	void *arg;
};

static void dtmf_tx_destroy(void *data)
{
	struct tdm_dsp_dtmf_tx *tx = data;

	if (tx->st)
		dtmf_tx_free(tx->st);
}

int tdm_dsp_dtmf_tx_alloc(struct tdm_dsp_dtmf_tx **txp)
{
	struct tdm_dsp_dtmf_tx *tx = mem_zalloc(sizeof(*tx), dtmf_tx_destroy);

	if (!tx)
		return -ENOMEM;
	tx->st = dtmf_tx_init(NULL);
	if (!tx->st) {
		mem_deref(tx);
		return -ENOMEM;
	}
	dtmf_tx_set_level(tx->st, DTMF_LEVEL_DBM0, DTMF_TWIST_DB);
	dtmf_tx_set_timing(tx->st, DTMF_ON_MS, DTMF_OFF_MS);
	*txp = tx;
	return 0;
}

int tdm_dsp_dtmf_tx_put(struct tdm_dsp_dtmf_tx *tx, const char *digits)
{
	size_t n = strlen(digits);

	if (strspn(digits, "0123456789*#ABCDabcd") != n)
		return -EINVAL;
	if (!n)
		return 0;
	/* spandsp queues what fits and drops the rest: refuse instead */
	if (dtmf_tx_put(tx->st, digits, (int)n))
		return -ENOSPC;
	tx->queued += n * (DTMF_ON_MS + DTMF_OFF_MS) * (TDM_DSP_RATE / 1000);
	return 0;
}

size_t tdm_dsp_dtmf_tx_fill(struct tdm_dsp_dtmf_tx *tx, int16_t *amp, size_t n)
{
	int got = dtmf_tx(tx->st, amp, (int)n);

	if (got < 0)
		got = 0;
	memset(amp + got, 0, (n - (size_t)got) * sizeof(*amp));
	if (!got)
		tx->queued = 0;
	else
		tx->queued = tx->queued > n ? tx->queued - n : 0;
	return (size_t)got;
}

void tdm_dsp_dtmf_tx_flush(struct tdm_dsp_dtmf_tx *tx)
{
	/* spandsp's init on an existing state empties its queue in place */
	dtmf_tx_init(tx->st);
	dtmf_tx_set_level(tx->st, DTMF_LEVEL_DBM0, DTMF_TWIST_DB);
	dtmf_tx_set_timing(tx->st, DTMF_ON_MS, DTMF_OFF_MS);
	tx->queued = 0;
}

bool tdm_dsp_dtmf_tx_busy(const struct tdm_dsp_dtmf_tx *tx)
{
	return tx->queued > 0;
}

static void dtmf_rx_destroy(void *data)
{
	struct tdm_dsp_dtmf_rx *rx = data;

	if (rx->st)
		dtmf_rx_free(rx->st);
}

static void dtmf_digits(void *user, const char *digits, int len)
{
	struct tdm_dsp_dtmf_rx *rx = user;

	for (int i = 0; i < len; i++)
		rx->h(digits[i], rx->arg);
}

int tdm_dsp_dtmf_rx_alloc(struct tdm_dsp_dtmf_rx **rxp, tdm_dsp_digit_h *h,
			  void *arg)
{
	struct tdm_dsp_dtmf_rx *rx;

	if (!h)
		return -EINVAL;
	rx = mem_zalloc(sizeof(*rx), dtmf_rx_destroy);
	if (!rx)
		return -ENOMEM;
	rx->h = h;
	rx->arg = arg;
	rx->st = dtmf_rx_init(NULL, dtmf_digits, rx);
	if (!rx->st) {
		mem_deref(rx);
		return -ENOMEM;
	}
	*rxp = rx;
	return 0;
}

void tdm_dsp_dtmf_rx_feed(struct tdm_dsp_dtmf_rx *rx, const int16_t *amp,
			  size_t n)
{
	dtmf_rx(rx->st, amp, (int)n);
}
