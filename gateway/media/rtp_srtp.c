// SPDX-License-Identifier: GPL-2.0
/* SRTP/SRTCP contexts over libsrtp2 (RFC 3711, 6188, 7714). */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include <srtp2/srtp.h>

#include "../base/mem.h"
#include "rtp.h"
#include "rtp_srtp.h"

#define LOG_TAG "srtp"
#include "../base/log.h"

struct rtp_srtp {
	srtp_t ctx;
	enum rtp_srtp_suite suite;
	enum rtp_srtp_dir dir;
};

static const struct {
	const char *name;
	size_t key_len;
} suites[RTP_SRTP_NSUITES] = {
	[RTP_SRTP_AES_CM_128_HMAC_SHA1_80] = { "AES_CM_128_HMAC_SHA1_80", 30 },
	[RTP_SRTP_AES_CM_128_HMAC_SHA1_32] = { "AES_CM_128_HMAC_SHA1_32", 30 },
	[RTP_SRTP_AES_256_CM_HMAC_SHA1_80] = { "AES_256_CM_HMAC_SHA1_80", 46 },
	[RTP_SRTP_AEAD_AES_128_GCM] = { "AEAD_AES_128_GCM", 28 },
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static srtp_err_status_t init_status;

/* srtp_init() is not thread-safe and must run once per process */
static void lib_init(void)
{
	init_status = srtp_init();
}

const char *rtp_srtp_suite_name(enum rtp_srtp_suite suite)
{
	if ((unsigned)suite >= RTP_SRTP_NSUITES)
		return NULL;
	return suites[suite].name;
}

int rtp_srtp_suite_parse(const char *name, enum rtp_srtp_suite *suite)
{
	for (unsigned i = 0; i < RTP_SRTP_NSUITES; i++) {
		if (!strcmp(name, suites[i].name)) {
			*suite = (enum rtp_srtp_suite)i;
			return 0;
		}
	}
	return -ENOENT;
}

size_t rtp_srtp_key_len(enum rtp_srtp_suite suite)
{
	if ((unsigned)suite >= RTP_SRTP_NSUITES)
		return 0;
	return suites[suite].key_len;
}

static void srtp_destroy(void *arg)
{
	struct rtp_srtp *s = arg;

	if (s->ctx)
		srtp_dealloc(s->ctx);
}

static void set_policy(srtp_policy_t *pol, enum rtp_srtp_suite suite)
{
	switch (suite) {
	case RTP_SRTP_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol->rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol->rtcp);
		break;
	case RTP_SRTP_AES_CM_128_HMAC_SHA1_32:
		/* RFC 4568 6.2.2: SRTCP keeps the 80-bit tag */
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol->rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol->rtcp);
		break;
	case RTP_SRTP_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&pol->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&pol->rtcp);
		break;
	case RTP_SRTP_AEAD_AES_128_GCM:
	default:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol->rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol->rtcp);
		break;
	}
}

int rtp_srtp_new(struct rtp_srtp **sp, enum rtp_srtp_suite suite,
		 const uint8_t *key, enum rtp_srtp_dir dir)
{
	uint8_t k[RTP_SRTP_KEY_MAX];
	srtp_policy_t pol;
	struct rtp_srtp *s;
	int err = 0;

	if ((unsigned)suite >= RTP_SRTP_NSUITES || !key)
		return -EINVAL;
	pthread_once(&init_once, lib_init);
	if (init_status != srtp_err_status_ok)
		return -EIO;
	s = mem_zalloc(sizeof(*s), srtp_destroy);
	if (!s)
		return -ENOMEM;
	s->suite = suite;
	s->dir = dir;
	memset(&pol, 0, sizeof(pol));
	set_policy(&pol, suite);
	/* libsrtp reads key and salt from one buffer, key first */
	memcpy(k, key, suites[suite].key_len);
	pol.key = k;
	pol.ssrc.type = dir == RTP_SRTP_OUT ? ssrc_any_outbound
					    : ssrc_any_inbound;
	pol.window_size = 128;
	pol.allow_repeat_tx = 0;
	if (srtp_create(&s->ctx, &pol) != srtp_err_status_ok) {
		s->ctx = NULL;
		err = -EIO;
	}
	memset(k, 0, sizeof(k));
	if (err)
		goto err;
	*sp = s;
	return 0;
err:
	mem_deref(s);
	return err;
}

static int map_err(srtp_err_status_t st)
{
	switch (st) {
	case srtp_err_status_ok:
		return 0;
	case srtp_err_status_replay_fail:
	case srtp_err_status_replay_old:
		return -EALREADY;
	case srtp_err_status_auth_fail:
	case srtp_err_status_bad_param:
	case srtp_err_status_parse_err:
		return -EBADMSG;
	default:
		return -EIO;
	}
}

int rtp_srtp_protect(struct rtp_srtp *s, uint8_t *p, size_t *len,
		     size_t size)
{
	int l = (int)*len, err;

	if (*len < RTP_HDR_MIN || *len > INT_MAX - RTP_SRTP_TRAILER_MAX)
		return -EBADMSG;
	if (size < *len + RTP_SRTP_TRAILER_MAX)
		return -ENOSPC;
	err = map_err(srtp_protect(s->ctx, p, &l));
	if (!err)
		*len = (size_t)l;
	return err;
}

int rtp_srtp_unprotect(struct rtp_srtp *s, uint8_t *p, size_t *len)
{
	int l = (int)*len, err;

	if (*len < RTP_HDR_MIN || *len > INT_MAX)
		return -EBADMSG;
	err = map_err(srtp_unprotect(s->ctx, p, &l));
	if (!err)
		*len = (size_t)l;
	return err;
}

int rtp_srtp_protect_rtcp(struct rtp_srtp *s, uint8_t *p, size_t *len,
			  size_t size)
{
	int l = (int)*len, err;

	if (*len < 8 || *len > INT_MAX - RTP_SRTP_TRAILER_MAX)
		return -EBADMSG;
	if (size < *len + RTP_SRTP_TRAILER_MAX)
		return -ENOSPC;
	err = map_err(srtp_protect_rtcp(s->ctx, p, &l));
	if (!err)
		*len = (size_t)l;
	return err;
}

int rtp_srtp_unprotect_rtcp(struct rtp_srtp *s, uint8_t *p, size_t *len)
{
	int l = (int)*len, err;

	if (*len < 8 || *len > INT_MAX)
		return -EBADMSG;
	err = map_err(srtp_unprotect_rtcp(s->ctx, p, &l));
	if (!err)
		*len = (size_t)l;
	return err;
}
