// SPDX-License-Identifier: GPL-2.0
/*
 * The SIP leg: the object, its call_leg_ops, the media stream it carries
 * and the helpers its UAS, UAC and in-dialog parts share. A leg is a mem
 * object; the call holds one reference. While an INVITE transaction of
 * ours is still open after release() (a CANCEL racing a 200), the leg
 * holds a reference to itself so that a late 200 is still ACKed and
 * ended with BYE.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define LOG_TAG "leg-sip"
#include "../base/log.h"
#include "../base/mem.h"
#include "../media/mediaconf.h"
#include "../media/rtp_srtp.h"
#include "../media/stream.h"
#include "../sip/auth.h"
#include "../sip/dialog.h"
#include "../sip/peer.h"
#include "leg_sip_priv.h"

/* RFC 4733 telephone-event payload type we offer */
#define LEG_SIP_TE_PT 101

static void leg_destroy(void *arg)
{
	struct leg_sip *ls = arg;

	tmr_cancel(&ls->rel.tmr);
	leg_sip_st_stop(ls);
	leg_sip_reinv_stop(ls);
	sip_mod_dlg_del(&ls->md);
	if (ls->inv_st) {
		sip_strans_set_handler(ls->inv_st, NULL, NULL);
		mem_deref(ls->inv_st);
	}
	if (ls->reinv_st) {
		sip_strans_set_handler(ls->reinv_st, NULL, NULL);
		mem_deref(ls->reinv_st);
	}
	if (ls->inv_ct) {
		sip_ctrans_abandon(ls->inv_ct);
		mem_deref(ls->inv_ct);
	}
	mem_deref(ls->inv_req);
	mem_deref(ls->dlg);
	mem_deref(ls->ms);
	mem_deref(ls->mp);
	mem_deref(ls->oa);
	mem_deref(ls->auth);
	buf_free(&ls->sdp);
	mem_deref(ls->sm);
}

static enum sdp_srtp srtp_policy(int peer_srtp)
{
	switch (peer_srtp) {
	case SIP_PEER_SRTP_MANDATORY:
		return SDP_SRTP_MANDATORY;
	case SIP_PEER_SRTP_OPTIONAL:
		return SDP_SRTP_OPTIONAL;
	default:
		return SDP_SRTP_OFF;
	}
}

static void policy_of(struct leg_sip_policy *pol, const char *name,
		      const struct sip_peer_conf *pc, int unknown_srtp)
{
	static const char *const cn[SDP_NCODECS] = { "PCMU", "PCMA",
						     "G722" };

	snprintf(pol->name, sizeof(pol->name), "%s", name);
	if (!pc) {
		/* unknown peers: what every SIP phone can do */
		pol->tp = SIP_TP_UDP;
		pol->rel100 = SIP_PEER_100REL_SUPPORTED;
		pol->srtp = srtp_policy(unknown_srtp);
		pol->codecs[0] = SDP_PCMU;
		pol->codecs[1] = SDP_PCMA;
		pol->ncodecs = 2;
		return;
	}
	pol->addr = pc->address;
	pol->tp = (enum sip_tp)pc->transport;
	pol->rel100 = pc->rel100;
	pol->srtp = srtp_policy(pc->srtp);
	for (size_t i = 0; i < pc->codecs.n && pol->ncodecs < SDP_NCODECS;
	     i++)
		for (unsigned c = 0; c < SDP_NCODECS; c++)
			if (!strcasecmp(pc->codecs.v[i], cn[c]))
				pol->codecs[pol->ncodecs++] = (enum sdp_codec)c;
	pol->dtmf_inband = pc->dtmf == SIP_PEER_DTMF_INBAND;
	pol->session_timer = (uint32_t)pc->session_timer;
	/* checked when the config was loaded */
	if (call_cause_ovr_parse(&pol->ovr, pc->cause_map, NULL, 0))
		pol->ovr.n = 0;
}

int leg_sip_alloc(struct leg_sip **lp, struct sip_mod *sm, bool uac,
		  const char *peer_name, const struct sip_peer_conf *peer)
{
	struct leg_sip *ls;
	int err = 0;

	ls = mem_zalloc(sizeof(*ls), leg_destroy);
	if (!ls)
		return -ENOMEM;
	ls->leg.ops = &leg_sip_ops;
	tmr_init(&ls->rel.tmr);
	ls->sm = mem_ref(sm);
	ls->uac = uac;
	policy_of(&ls->pol, peer_name, peer, sip_mod_unknown_srtp(sm));
	leg_sip_st_init(ls);
	snprintf(ls->leg.name, sizeof(ls->leg.name), "peer:%s", peer_name);
	if (peer && *peer->username)
		err = sip_auth_cli_alloc(&ls->auth, peer->username,
					 peer->password);
	if (err) {
		mem_deref(ls);
		return err;
	}
	*lp = ls;
	return 0;
}

void leg_sip_emit(struct leg_sip *ls, enum call_leg_ev_type type,
		  bool inband, int cause, uint16_t status)
{
	struct call_leg_ev ev = {
		.type = type,
		.inband = inband,
		.cause = cause,
		.sip_status = status,
		.setup = &ls->setup,
	};

	mem_ref(ls);
	call_leg_emit(&ls->leg, &ev);
	mem_deref(ls);
}

void leg_sip_kill(struct leg_sip *ls)
{
	ls->state = LEG_SIP_DEAD;
	leg_sip_rel_stop(ls);
	leg_sip_st_stop(ls);
	leg_sip_reinv_stop(ls);
	sip_mod_dlg_del(&ls->md);
	if (ls->dlg)
		sip_dialog_terminate(ls->dlg);
	if (ls->ms)
		media_stream_set_dir(ls->ms, MEDIA_STREAM_INACTIVE);
}

int leg_sip_hop(struct leg_sip *ls, struct strv hop, struct sa *dst)
{
	struct sip_addr a;
	char host[64];

	/* we do not resolve names: a numeric next hop, else the peer */
	if (hop.l && !sip_addr_decode(&a, hop) &&
	    !strv_copy(a.uri.host, host, sizeof(host)) &&
	    !sa_set_ip(dst, host,
		       a.uri.port ? a.uri.port : sip_tp_port(ls->pol.tp)))
		return 0;
	if (!sa_port(&ls->remote))
		return -EHOSTUNREACH;
	*dst = ls->remote;
	return 0;
}

int leg_sip_send_indialog(struct leg_sip *ls, const char *method,
			  const char *hdrs, const struct buf *sdp,
			  sip_ctrans_h *h)
{
	return leg_sip_send_req(ls, method, hdrs, sdp, h, NULL);
}

int leg_sip_send_req(struct leg_sip *ls, const char *method,
		     const char *hdrs, const struct buf *sdp, sip_ctrans_h *h,
		     struct sip_ctrans **ctp)
{
	struct sip_dialog_req_params p = {
		.method = strv_of(method),
		.transport = strv_of(sip_tp_name(ls->pol.tp)),
		.sent_by = strv_of(ls->sent_by),
		.rport = true,
		.contact = strv_of(ls->contact),
	};
	struct sip_ctrans_dest d = { .tp = ls->pol.tp };
	struct buf b = { 0 }, hb = { 0 };
	struct strv hop;
	int err;

	if (!ls->dlg)
		return -ENOTCONN;
	err = buf_printf(&hb, "User-Agent: %s\r\n%s", sip_mod_ua(ls->sm),
			 hdrs ? hdrs : "");
	if (err)
		goto out;
	p.hdrs = (struct strv){ (const char *)hb.data, hb.len };
	if (sdp && sdp->len) {
		p.ctype = STRV("application/sdp");
		p.body = (struct strv){ (const char *)sdp->data, sdp->len };
	}
	err = sip_dialog_req(ls->dlg, &b, &p, &hop);
	if (!err)
		err = leg_sip_hop(ls, hop, &d.dst);
	if (err)
		goto out;
	if (!strcmp(method, "ACK"))
		err = sip_transp_send(sip_mod_transp(ls->sm), d.tp, &d.dst,
				      NULL, b.data, b.len);
	else
		err = sip_ctrans_send(ctp, sip_mod_tsx(ls->sm), &d, b.data,
				      b.len, h, h ? ls : NULL);
out:
	if (err)
		LOGW_ID(ls->leg.id, "%s not sent: %s", method, strerror(-err));
	buf_free(&b);
	buf_free(&hb);
	return err;
}

/* --- media ------------------------------------------------------------ */

static enum media_codec_id codec_of(enum sdp_codec c)
{
	switch (c) {
	case SDP_PCMA:
		return MEDIA_CODEC_PCMA;
	case SDP_G722:
		return MEDIA_CODEC_G722;
	default:
		return MEDIA_CODEC_PCMU;
	}
}

static void on_dtmf(const struct media_dtmf_event *ev, void *arg)
{
	struct leg_sip *ls = arg;
	struct call_leg_ev e = { .type = CALL_LEG_DIGIT, .digit = ev->digit };

	if (ev->type != MEDIA_DTMF_EV_START || ls->state == LEG_SIP_DEAD)
		return;
	/* one line per key press: what the far end dialled is often all
	 * there is to go on when an IVR misbehaves */
	LOGI_ID(ls->leg.id, "DTMF %c from %s", ev->digit, ls->leg.name);
	mem_ref(ls);
	call_leg_emit(&ls->leg, &e);
	mem_deref(ls);
}

/* SDES suites we offer, preferred first: the 80-bit tag everyone has,
 * its short-tag variant, then AES-256 and GCM for peers that want them */
static const enum sdp_suite leg_suites[] = {
	SDP_AES_CM_128_HMAC_SHA1_80,
	SDP_AES_CM_128_HMAC_SHA1_32,
	SDP_AES_256_CM_HMAC_SHA1_80,
	SDP_AEAD_AES_128_GCM,
};

static enum rtp_srtp_suite rtp_suite_of(enum sdp_suite s)
{
	switch (s) {
	case SDP_AES_CM_128_HMAC_SHA1_32:
		return RTP_SRTP_AES_CM_128_HMAC_SHA1_32;
	case SDP_AES_256_CM_HMAC_SHA1_80:
		return RTP_SRTP_AES_256_CM_HMAC_SHA1_80;
	case SDP_AEAD_AES_128_GCM:
		return RTP_SRTP_AEAD_AES_128_GCM;
	default:
		return RTP_SRTP_AES_CM_128_HMAC_SHA1_80;
	}
}

/* A fresh master key + salt per suite: what we protect with, whichever
 * suite the peer picks. */
static int srtp_keys(struct sdp_caps *caps)
{
	int err;

	for (size_t i = 0; i < sizeof(leg_suites) / sizeof(leg_suites[0]);
	     i++) {
		struct sdp_key *k = &caps->keys[caps->nkeys];

		k->suite = leg_suites[i];
		k->len = (uint8_t)sdp_suite_keylen(k->suite);
		err = rtp_srtp_key_gen(rtp_suite_of(k->suite), k->key);
		if (err)
			return err;
		caps->nkeys++;
	}
	return 0;
}

static void mp_destroy(void *arg)
{
	struct media_stream_params *mp = arg;

	mem_deref(mp->rtp.srtp_in);
	mem_deref(mp->rtp.srtp_out);
}

int leg_sip_media_init(struct leg_sip *ls)
{
	const struct media_conf *mc = sip_mod_media_conf(ls->sm);
	struct sdp_caps caps = { .user = "trunkline" };
	char ip[SA_STRLEN];
	struct sa la = ls->local;
	int err;

	ls->mp = mem_zalloc(sizeof(*ls->mp), mp_destroy);
	if (!ls->mp)
		return -ENOMEM;
	sa_set_port(&la, 0);
	ls->mp->rtp.ports = sip_mod_ports(ls->sm);
	ls->mp->rtp.local = la;
	ls->mp->rtp.id = ls->leg.id;
	ls->mp->codec = codec_of(ls->pol.codecs[0]);
	ls->mp->te_pt = ls->pol.dtmf_inband ? -1 : LEG_SIP_TE_PT;
	ls->mp->dir = MEDIA_STREAM_SENDRECV;
	media_conf_apply(mc, ls->mp);
	ls->mp->dtmf = ls->pol.dtmf_inband ? MEDIA_STREAM_DTMF_INBAND :
					     MEDIA_STREAM_DTMF_RFC4733;
	ls->mp->dtmfh = on_dtmf;
	ls->mp->arg = ls;
	err = media_stream_new(&ls->ms, sip_mod_loop(ls->sm), ls->mp);
	if (err)
		return err;
	/* the address our SDP names: the one the signalling uses */
	if (!sa_str(&la, ip, sizeof(ip)))
		return -EINVAL;
	if (ip[0] == '[') {
		memmove(ip, ip + 1, strlen(ip));
		ip[strcspn(ip, "]")] = '\0';
	} else {
		ip[strcspn(ip, ":")] = '\0';
	}
	caps.sess_id = loop_now_ms();
	caps.addr = ip;
	caps.audio_port = sa_port(rtp_sess_local(media_stream_rtp(ls->ms)));
	memcpy(caps.codecs, ls->pol.codecs, sizeof(caps.codecs));
	caps.ncodecs = ls->pol.ncodecs;
	caps.te_pt = ls->pol.dtmf_inband ? 0 : LEG_SIP_TE_PT;
	caps.srtp = ls->pol.srtp;
	if (caps.srtp != SDP_SRTP_OFF)
		err = srtp_keys(&caps);
	if (!err)
		err = sdp_oa_alloc(&ls->oa, &caps);
	/* the offer/answer state has its own copy of the keys */
	explicit_bzero(caps.keys, sizeof(caps.keys));
	return err;
}

static enum media_stream_dir dir_of(enum sdp_dir d)
{
	switch (d) {
	case SDP_SENDONLY:
		return MEDIA_STREAM_SENDONLY;
	case SDP_RECVONLY:
		return MEDIA_STREAM_RECVONLY;
	case SDP_INACTIVE:
		return MEDIA_STREAM_INACTIVE;
	default:
		return MEDIA_STREAM_SENDRECV;
	}
}

static bool key_eq(const struct sdp_key *a, const struct sdp_key *b)
{
	return a->suite == b->suite && a->len == b->len &&
	       !memcmp(a->key, b->key, a->len);
}

/* Make @k the key of *@cp unless it is that already: a re-INVITE that
 * repeats the keys keeps the contexts, their replay window and rollover
 * counter; new keys get new contexts (RFC 4568 7.1.4). */
static int srtp_ctx(struct rtp_srtp **cp, struct sdp_key *cur,
		    const struct sdp_key *k, enum rtp_srtp_dir dir)
{
	struct rtp_srtp *c;
	int err;

	if (*cp && key_eq(cur, k))
		return 0;
	err = rtp_srtp_new(&c, rtp_suite_of(k->suite), k->key, dir);
	if (err)
		return err;
	mem_deref(*cp);
	*cp = c;
	*cur = *k;
	return 0;
}

/* The negotiated SDES keys into the stream's parameters: ours protects
 * what we send, the peer's unprotects what we receive. */
static int srtp_apply(struct leg_sip *ls, const struct sdp_stream *s)
{
	struct rtp_sess_params *rp = &ls->mp->rtp;
	int err;

	if (!s->srtp) {
		rp->srtp_in = mem_deref(rp->srtp_in);
		rp->srtp_out = mem_deref(rp->srtp_out);
		explicit_bzero(&ls->srtp_tx, sizeof(ls->srtp_tx));
		explicit_bzero(&ls->srtp_rx, sizeof(ls->srtp_rx));
		return 0;
	}
	/* libsrtp would need the MKI in every packet's trailer: we offer
	 * none and cannot take one */
	if (s->local_key.mki_len || s->remote_key.mki_len)
		return -ENOTSUP;
	err = srtp_ctx(&rp->srtp_out, &ls->srtp_tx, &s->local_key,
		       RTP_SRTP_OUT);
	if (!err)
		err = srtp_ctx(&rp->srtp_in, &ls->srtp_rx, &s->remote_key,
			       RTP_SRTP_IN);
	if (err)
		LOGW_ID(ls->leg.id, "SRTP %s: %s",
			sdp_suite_name(s->local_key.suite), strerror(-err));
	return err;
}

int leg_sip_media_apply(struct leg_sip *ls)
{
	const struct sdp_neg *neg = sdp_oa_neg(ls->oa);
	const struct sdp_stream *s = NULL;
	int err;

	if (!neg || !ls->ms)
		return -ENOENT;
	for (unsigned i = 0; i < neg->nstreams && !s; i++)
		if (neg->s[i].kind == SDP_KIND_AUDIO && neg->s[i].active)
			s = &neg->s[i];
	if (!s)
		return media_stream_set_dir(ls->ms, MEDIA_STREAM_INACTIVE);
	err = srtp_apply(ls, s);
	if (err) {
		/* nothing goes out in clear on a call negotiated as SRTP */
		media_stream_set_dir(ls->ms, MEDIA_STREAM_INACTIVE);
		return err;
	}
	ls->mp->rtp.remote = s->remote;
	ls->mp->rtp.remote_rtcp = s->remote_rtcp;
	ls->mp->codec = codec_of(s->codec);
	ls->mp->te_pt = s->te_pt;
	ls->mp->ptime = s->ptime % 20 ? 20 : s->ptime;
	ls->mp->dir = dir_of(s->dir);
	return media_stream_update(ls->ms, ls->mp);
}

/* --- call_leg_ops ------------------------------------------------------ */

static struct leg_sip *of(struct call_leg *leg)
{
	return (struct leg_sip *)leg;
}

static int op_dial(struct call_leg *leg, const struct call_leg_setup *s)
{
	if (!of(leg)->uac)
		return -EINVAL;
	return leg_sip_uac_dial(of(leg), s);
}

static int op_progress(struct call_leg *leg, bool inband)
{
	if (of(leg)->uac)
		return -EINVAL;
	return leg_sip_uas_progress(of(leg), 183, inband);
}

static int op_alerting(struct call_leg *leg, bool inband)
{
	if (of(leg)->uac)
		return -EINVAL;
	return leg_sip_uas_progress(of(leg), 180, inband);
}

static int op_answer(struct call_leg *leg)
{
	if (of(leg)->uac)
		return -EINVAL;
	return leg_sip_uas_answer(of(leg));
}

static void op_release(struct call_leg *leg, int cause)
{
	struct leg_sip *ls = of(leg);

	if (ls->state == LEG_SIP_DEAD)
		return;
	mem_ref(ls);
	if (ls->state == LEG_SIP_CONFIRMED || ls->state == LEG_SIP_ANSWERED)
		leg_sip_bye(ls, cause);
	else if (ls->uac)
		leg_sip_uac_release(ls, cause);
	else
		leg_sip_uas_release(ls, cause);
	mem_deref(ls);
}

static int op_digit(struct call_leg *leg, char digit)
{
	if (!of(leg)->ms)
		return -ENOTCONN;
	return media_stream_dtmf_send(of(leg)->ms, digit, 100);
}

static int op_audio_put(struct call_leg *leg, const int16_t *frame)
{
	if (!of(leg)->ms)
		return -ENOTCONN;
	return media_stream_put(of(leg)->ms, frame, MEDIA_STREAM_FRAME);
}

static int op_audio_get(struct call_leg *leg, int16_t *frame)
{
	int n;

	if (!of(leg)->ms)
		return -ENOTCONN;
	n = media_stream_get(of(leg)->ms, frame, MEDIA_STREAM_FRAME);
	return n < 0 ? n : 0;
}

static struct media_stream *op_stream(struct call_leg *leg)
{
	return of(leg)->ms;
}

static void op_stats(struct call_leg *leg, struct call_leg_stats *st)
{
	struct leg_sip *ls = of(leg);
	static const char *const names[] = { "PCMU", "PCMA", "G722" };
	struct media_stream_stats ms;

	memset(st, 0, sizeof(*st));
	st->sip_status = ls->final_status;
	if (!ls->ms)
		return;
	media_stream_stats(ls->ms, &ms);
	if ((unsigned)ms.codec < 3)
		snprintf(st->codec, sizeof(st->codec), "%s", names[ms.codec]);
	st->rx_lost = ms.rtp.lost > 0 ? (uint32_t)ms.rtp.lost : 0;
	st->rx_jitter_us = ms.rtp.jitter * 125; /* 8 kHz units */
	st->tx_lost = ms.rtp.peer_lost > 0 ? (uint32_t)ms.rtp.peer_lost : 0;
	st->tx_jitter_us = ms.rtp.peer_jitter * 125;
	st->rtt_us = ms.rtp.rtt_us;
	sa_str(&ms.rtp.latched_addr, st->peer, sizeof(st->peer));
	st->srtp = ms.srtp;
}

const struct call_leg_ops leg_sip_ops = {
	.kind = "sip",
	.dial = op_dial,
	.progress = op_progress,
	.alerting = op_alerting,
	.answer = op_answer,
	.release = op_release,
	.digit = op_digit,
	.audio_put = op_audio_put,
	.audio_get = op_audio_get,
	.stream = op_stream,
	.stats = op_stats,
};

void call_leg_sip_listen(call_leg_ev_h *newcall_h, void *arg)
{
	leg_sip_uas_listen(newcall_h, arg);
}

int call_leg_sip_new(struct call_leg **legp, const char *peer, void *ctx)
{
	struct sip_mod *sm = ctx ? ctx : sip_mod_running();
	const struct sip_peer_conf *pc;
	struct leg_sip *ls;
	int err;

	if (!sm)
		return -ENOENT;
	pc = sip_mod_peer(sm, peer);
	if (!pc)
		return -ENOENT;
	err = leg_sip_alloc(&ls, sm, true, peer, pc);
	if (err)
		return err;
	*legp = &ls->leg;
	return 0;
}
