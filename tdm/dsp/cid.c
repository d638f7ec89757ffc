// SPDX-License-Identifier: GPL-2.0
/*
 * Caller ID: messages built and parsed here, modulated and demodulated by
 * spandsp's adsi_tx/adsi_rx.
 *
 * FSK (Bell 202 and ETSI V.23) uses the multiple data message format:
 * type 0x80, length, then parameters (type, length, value): 0x01 date
 * and time "MMDDHHMM", 0x02 number, 0x04 why the number is absent ("P"
 * private, "O" unavailable), 0x07 name, 0x08 why the name is absent.
 * Bell (GR-30) and ETSI (EN 300 659-3) agree on these codes.
 * DTMF CLIP (EN 300 659-1 annex B) is "A<number>C", or "B00C" (private)
 * or "B10C" (unavailable); it carries no name and no time.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <spandsp.h>

#include "../../gateway/base/mem.h"
#include "dsp.h"

#define MDMF_CALL_SETUP 0x80
#define P_DATETIME 0x01
#define P_NUMBER 0x02
#define P_NUMBER_ABSENT 0x04
#define P_NAME 0x07
#define P_NAME_ABSENT 0x08

struct tdm_dsp_cid_tx {
	adsi_tx_state_t *st; /* owned */
	bool done;
};

struct tdm_dsp_cid_rx {
	adsi_rx_state_t *st; /* owned */
	enum tdm_dsp_cid_std std;
	tdm_dsp_cid_h *h;
	void *arg;
};

static const char *const std_names[] = { "bell", "v23", "dtmf" };

const char *tdm_dsp_cid_std_name(enum tdm_dsp_cid_std s)
{
	return (unsigned)s <= TDM_DSP_CID_DTMF ? std_names[s] : NULL;
}

int tdm_dsp_cid_std_parse(const char *s)
{
	for (int i = 0; i <= TDM_DSP_CID_DTMF; i++)
		if (!strcmp(s, std_names[i]))
			return i;
	return -EINVAL;
}

static int adsi_std(enum tdm_dsp_cid_std s)
{
	switch (s) {
	case TDM_DSP_CID_BELL:
		return ADSI_STANDARD_CLASS;
	case TDM_DSP_CID_V23:
		return ADSI_STANDARD_CLIP;
	case TDM_DSP_CID_DTMF:
		return ADSI_STANDARD_CLIP_DTMF;
	}
	return -EINVAL;
}

static bool all_digits(const char *s)
{
	return strspn(s, "0123456789") == strlen(s);
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

static int put_param(uint8_t *msg, size_t *len, size_t max, uint8_t type,
		     const char *val)
{
	size_t n = strlen(val);

	if (n > 255 || *len + 2 + n > max)
		return -EINVAL;
	msg[(*len)++] = type;
	msg[(*len)++] = (uint8_t)n;
	memcpy(msg + *len, val, n);
	*len += n;
	return 0;
}

static const char *absent_code(enum tdm_dsp_cid_absent a)
{
	return a == TDM_DSP_CID_PRIVATE ? "P" : "O";
}

/* Build the message for @cid into @msg; its length or -EINVAL. */
static int cid_encode(enum tdm_dsp_cid_std std, const struct tdm_dsp_cid *cid,
		      uint8_t *msg, size_t max)
{
	size_t len = 2;
	char t[9];
	int err = 0;

	if (!all_digits(cid->number) || !printable(cid->name))
		return -EINVAL;
	if (std == TDM_DSP_CID_DTMF) {
		if (cid->number_absent == TDM_DSP_CID_PRESENT)
			len = (size_t)snprintf((char *)msg, max, "A%sC",
					       cid->number);
		else
			len = (size_t)snprintf((char *)msg, max, "B%sC",
					       cid->number_absent ==
							       TDM_DSP_CID_PRIVATE ?
						       "00" :
						       "10");
		return len < max ? (int)len : -EINVAL;
	}
	msg[0] = MDMF_CALL_SETUP;
	if (cid->has_time) {
		if (cid->month < 1 || cid->month > 12 || cid->day < 1 ||
		    cid->day > 31 || cid->hour > 23 || cid->minute > 59)
			return -EINVAL;
		snprintf(t, sizeof(t), "%02u%02u%02u%02u", cid->month,
			 cid->day, cid->hour, cid->minute);
		err = put_param(msg, &len, max, P_DATETIME, t);
	}
	if (!err && cid->number_absent == TDM_DSP_CID_PRESENT)
		err = put_param(msg, &len, max, P_NUMBER, cid->number);
	else if (!err)
		err = put_param(msg, &len, max, P_NUMBER_ABSENT,
				absent_code(cid->number_absent));
	if (!err && cid->name_absent == TDM_DSP_CID_PRESENT && cid->name[0])
		err = put_param(msg, &len, max, P_NAME, cid->name);
	else if (!err && cid->name_absent != TDM_DSP_CID_PRESENT)
		err = put_param(msg, &len, max, P_NAME_ABSENT,
				absent_code(cid->name_absent));
	if (err || len - 2 > 255)
		return -EINVAL;
	msg[1] = (uint8_t)(len - 2);
	return (int)len;
}

static void cid_tx_destroy(void *data)
{
	struct tdm_dsp_cid_tx *tx = data;

	if (tx->st)
		adsi_tx_free(tx->st);
}

int tdm_dsp_cid_tx_alloc(struct tdm_dsp_cid_tx **txp, enum tdm_dsp_cid_std std,
			 const struct tdm_dsp_cid *cid)
{
	struct tdm_dsp_cid_tx *tx;
	uint8_t msg[256];
	int len, as = adsi_std(std);

	if (as < 0 || !cid)
		return -EINVAL;
	len = cid_encode(std, cid, msg, sizeof(msg));
	if (len < 0)
		return len;
	tx = mem_zalloc(sizeof(*tx), cid_tx_destroy);
	if (!tx)
		return -ENOMEM;
	tx->st = adsi_tx_init(NULL, as);
	if (!tx->st) {
		mem_deref(tx);
		return -ENOMEM;
	}
	if (adsi_tx_put_message(tx->st, msg, len) != len) {
		mem_deref(tx);
		return -EINVAL;
	}
	*txp = tx;
	return 0;
}

size_t tdm_dsp_cid_tx_fill(struct tdm_dsp_cid_tx *tx, int16_t *amp, size_t n)
{
	int got = tx->done ? 0 : adsi_tx(tx->st, amp, (int)n);

	if (got < 0)
		got = 0;
	if ((size_t)got < n)
		tx->done = true;
	memset(amp + got, 0, (n - (size_t)got) * sizeof(*amp));
	return (size_t)got;
}

bool tdm_dsp_cid_tx_done(const struct tdm_dsp_cid_tx *tx)
{
	return tx->done;
}

/* Copy a parameter value of @n bytes into @dst (size @max) if every byte
 * is accepted by @ok. */
static int copy_val(char *dst, size_t max, const uint8_t *v, size_t n,
		    bool digits_only)
{
	if (n >= max)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		if (digits_only ? (v[i] < '0' || v[i] > '9') :
				  (v[i] < 0x20 || v[i] > 0x7e))
			return -EBADMSG;
		dst[i] = (char)v[i];
	}
	dst[n] = '\0';
	return 0;
}

static int absent_decode(const uint8_t *v, size_t n,
			 enum tdm_dsp_cid_absent *a)
{
	if (n != 1)
		return -EBADMSG;
	if (v[0] == 'P')
		*a = TDM_DSP_CID_PRIVATE;
	else if (v[0] == 'O')
		*a = TDM_DSP_CID_UNAVAILABLE;
	else
		return -EBADMSG;
	return 0;
}

static int time_decode(const uint8_t *v, size_t n, struct tdm_dsp_cid *cid)
{
	unsigned f[4];

	if (n != 8)
		return -EBADMSG;
	for (size_t i = 0; i < 8; i++)
		if (v[i] < '0' || v[i] > '9')
			return -EBADMSG;
	for (size_t i = 0; i < 4; i++)
		f[i] = (unsigned)(v[2 * i] - '0') * 10 +
		       (unsigned)(v[2 * i + 1] - '0');
	if (f[0] < 1 || f[0] > 12 || f[1] < 1 || f[1] > 31 || f[2] > 23 ||
	    f[3] > 59)
		return -EBADMSG;
	cid->month = (uint8_t)f[0];
	cid->day = (uint8_t)f[1];
	cid->hour = (uint8_t)f[2];
	cid->minute = (uint8_t)f[3];
	cid->has_time = true;
	return 0;
}

static int mdmf_decode(const uint8_t *msg, size_t len, struct tdm_dsp_cid *c)
{
	size_t pos = 2, end;
	int err = 0;

	if (len < 2 || msg[0] != MDMF_CALL_SETUP)
		return -EBADMSG;
	end = 2 + (size_t)msg[1];
	if (end > len)
		return -EBADMSG;
	while (!err && pos < end) {
		const uint8_t *v;
		size_t n;

		if (end - pos < 2)
			return -EBADMSG;
		n = msg[pos + 1];
		v = msg + pos + 2;
		if (end - pos - 2 < n)
			return -EBADMSG;
		switch (msg[pos]) {
		case P_DATETIME:
			err = time_decode(v, n, c);
			break;
		case P_NUMBER:
			err = copy_val(c->number, sizeof(c->number), v, n,
				       false);
			break;
		case P_NUMBER_ABSENT:
			err = absent_decode(v, n, &c->number_absent);
			break;
		case P_NAME:
			err = copy_val(c->name, sizeof(c->name), v, n, false);
			break;
		case P_NAME_ABSENT:
			err = absent_decode(v, n, &c->name_absent);
			break;
		default:
			/* other parameters (call type, redirection) are
			 * allowed and skipped */
			break;
		}
		pos += 2 + n;
	}
	return err;
}

static int dtmf_decode(const uint8_t *msg, size_t len, struct tdm_dsp_cid *c)
{
	if (len < 2 || (msg[len - 1] != 'C' && msg[len - 1] != '#'))
		return -EBADMSG;
	if (msg[0] == 'A' || msg[0] == 'D')
		return copy_val(c->number, sizeof(c->number), msg + 1, len - 2,
				true);
	if (msg[0] == 'B' && len == 4 && msg[1] == '0' && msg[2] == '0') {
		c->number_absent = TDM_DSP_CID_PRIVATE;
		return 0;
	}
	if (msg[0] == 'B' && len == 4 && msg[1] == '1' && msg[2] == '0') {
		c->number_absent = TDM_DSP_CID_UNAVAILABLE;
		return 0;
	}
	return -EBADMSG;
}

int tdm_dsp_cid_decode(enum tdm_dsp_cid_std std, const uint8_t *msg,
		       size_t len, struct tdm_dsp_cid *cid)
{
	memset(cid, 0, sizeof(*cid));
	if (!msg)
		return -EBADMSG;
	switch (std) {
	case TDM_DSP_CID_BELL:
	case TDM_DSP_CID_V23:
		return mdmf_decode(msg, len, cid);
	case TDM_DSP_CID_DTMF:
		return dtmf_decode(msg, len, cid);
	}
	return -EBADMSG;
}

static void cid_rx_destroy(void *data)
{
	struct tdm_dsp_cid_rx *rx = data;

	if (rx->st)
		adsi_rx_free(rx->st);
}

static void cid_rx_msg(void *user, const uint8_t *msg, int len)
{
	struct tdm_dsp_cid_rx *rx = user;
	struct tdm_dsp_cid cid;

	/* adsi_rx also reports carrier changes with a negative length */
	if (len <= 0)
		return;
	if (!tdm_dsp_cid_decode(rx->std, msg, (size_t)len, &cid))
		rx->h(&cid, rx->arg);
}

int tdm_dsp_cid_rx_alloc(struct tdm_dsp_cid_rx **rxp, enum tdm_dsp_cid_std std,
			 tdm_dsp_cid_h *h, void *arg)
{
	struct tdm_dsp_cid_rx *rx;
	int as = adsi_std(std);

	if (as < 0 || !h)
		return -EINVAL;
	rx = mem_zalloc(sizeof(*rx), cid_rx_destroy);
	if (!rx)
		return -ENOMEM;
	rx->std = std;
	rx->h = h;
	rx->arg = arg;
	rx->st = adsi_rx_init(NULL, as, cid_rx_msg, rx);
	if (!rx->st) {
		mem_deref(rx);
		return -ENOMEM;
	}
	*rxp = rx;
	return 0;
}

void tdm_dsp_cid_rx_feed(struct tdm_dsp_cid_rx *rx, const int16_t *amp,
			 size_t n)
{
	adsi_rx(rx->st, amp, (int)n);
}
