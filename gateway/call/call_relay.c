// SPDX-License-Identifier: GPL-2.0
/*
 * SIP to SIP media without decoding: the bridge's two RTP sessions hand
 * their sockets to the daemon's relay (gateway/offload), which forwards
 * each leg's packets out of the other leg's socket to the other peer, in
 * userspace or in XDP. The gateway stays the media anchor: each peer
 * sends to and hears from the gateway's address, and the flows take only
 * the source each session latched onto (or the SDP's, when strict).
 *
 * A pair of flows per media (RTP, and RTCP unless both legs multiplex
 * it) goes in when both streams are sendrecv with the same codec and
 * ptime, both or neither carry telephone-events, and both peers are
 * confirmed; it comes out when any of that stops being so
 * (re-INVITE, hold, a new address, a re-latch) and goes in again once the
 * new media is confirmed. What the relay passes up (telephone-events, CN,
 * a new source, RTCP with nowhere to go) reaches the leg's session as if
 * it had read it: DTMF is still detected and logged, latching still
 * follows a NAT; telephone-events are also forwarded here to the other
 * peer with its payload type.
 *
 * SRTP on either leg (SRTP to SRTP, or to plain RTP): the relay engine
 * unprotects with the incoming leg's contexts and protects with the
 * other's (shared with the sessions, so replay windows and rollover
 * counters stay one); XDP refuses those flows and they stay on the relay.
 * Telephone-events are then forwarded by the engine (the slow path
 * cannot re-protect them), which needs the same payload type both sides.
 *
 * One thread: the loop's.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#define LOG_TAG "call"
#include "../base/log.h"
#include "../base/mem.h"
#include "../media/rtp.h"
#include "../media/stream.h"
#include "../offload/ofl.h"
#include "bridge.h"

/* RTP and RTCP, each a pair: index 0/1 RTP a->b / b->a, 2/3 RTCP */
#define NFLOWS 4

struct side {
	struct call_relay *rl; /* borrowed: the owner */
	struct call_leg *leg;  /* owned reference */
	struct rtp_sess *rs;   /* borrowed from the leg's stream */
	struct media_stream_fwd fi;
	struct rtp_sess_media m; /* as installed */
	struct tl_flow_ep rtp_ep, rtcp_ep;
};

struct call_relay {
	struct call_bridge *br; /* borrowed: the owner */
	struct side s[2];
	bool on;	 /* flows installed, sockets with the relay */
	unsigned nflows; /* 2, or 4 with RTCP */
	struct tl_flow f[NFLOWS];
	const char *why; /* the last reason not to relay, logged */
	bool refused;	 /* install() failed with the media in ref[] */
	struct side ref[2];
	struct tmr again; /* a slow-path packet moved a peer */
};

static uint32_t next_flow_id;

bool call_bridge_relayed(const struct call_bridge *br)
{
	return br->relay && br->relay->on;
}

static const char *leg_id(const struct call_relay *rl)
{
	return rl->s[0].leg->id;
}

static int sock_ep(int fd, struct tl_flow_ep *ep)
{
	struct sa sa = {.len = sizeof(sa.u.ss)};

	if (getsockname(fd, &sa.u.sa, &sa.len))
		return -errno;
	return media_flow_ep_from_sa(ep, &sa);
}

/* Take the leg's current media into @sd (called on every decoding tick:
 * no system calls); NULL when it may be relayed, else why not. */
static const char *side_read(struct side *sd)
{
	struct media_stream *ms = sd->leg->ops->stream(sd->leg);

	if (!ms)
		return "a leg has no media stream";
	sd->rs = media_stream_rtp(ms);
	media_stream_fwd_info(ms, &sd->fi);
	rtp_sess_media(sd->rs, &sd->m);
	if (sd->fi.dir != MEDIA_STREAM_SENDRECV)
		return "a stream is not sendrecv (hold)";
	if (!sd->m.rtp_peer.len || (!sd->m.mux && !sd->m.rtcp_peer.len))
		return "a peer's address is unknown";
	return NULL;
}

/* The local endpoints the flows are keyed on, as the relay sees them
 * (asked once: a session keeps its sockets for life). */
static int side_eps(struct side *sd)
{
	int err = 0;

	if (!sd->rtp_ep.family)
		err = sock_ep(sd->m.rtp_fd, &sd->rtp_ep);
	if (!err && !sd->m.mux && !sd->rtcp_ep.family)
		err = sock_ep(sd->m.rtcp_fd, &sd->rtcp_ep);
	return err;
}

/* NULL if @br's legs may be relayed now; else why not ("" while waiting
 * for a peer to be confirmed, which is not worth a log line). */
static const char *want(struct call_relay *rl)
{
	struct side *a = &rl->s[0], *b = &rl->s[1];
	const char *why;

	if (!ofl_module_get())
		return "no offload layer";
	why = side_read(a);
	if (!why)
		why = side_read(b);
	if (why)
		return why;
	if (a->fi.codec != b->fi.codec)
		return "the codecs differ";
	if (a->fi.ptime != b->fi.ptime)
		return "the ptimes differ";
	if ((a->fi.te_pt < 0) != (b->fi.te_pt < 0))
		return "DTMF needs converting (RFC 4733 on one side only)";
	/* SRTP: the slow path cannot re-protect a telephone-event, so the
	 * engine forwards them, which it can only with the same type */
	if ((a->m.srtp || b->m.srtp) && a->fi.te_pt != b->fi.te_pt)
		return "SRTP with different telephone-event types";
	if (a->m.mux != b->m.mux)
		return "rtcp-mux on one side only";
	if (!a->m.confirmed || !b->m.confirmed)
		return "";
	return NULL;
}

/* Whether two snapshots of the legs' media are the same. */
static bool same_media(const struct side *x, const struct side *y)
{
	for (int i = 0; i < 2; i++)
		if (memcmp(&x[i].m, &y[i].m, sizeof(x[i].m)) ||
		    memcmp(&x[i].fi, &y[i].fi, sizeof(x[i].fi)))
			return false;
	return true;
}

static bool srtp_call(const struct side *a, const struct side *b)
{
	return a->m.srtp || b->m.srtp;
}

static void flow_make(struct tl_flow *f, const struct side *in,
		      const struct side *out, bool rtcp)
{
	uint8_t pts[2];
	unsigned npt = 1;
	struct sa src = rtcp ? in->m.rtcp_peer : in->m.rtp_peer;
	struct sa dst = rtcp ? out->m.rtcp_peer : out->m.rtp_peer;

	media_flow_init(f);
	f->id = ++next_flow_id;
	f->key.local = rtcp ? in->rtcp_ep : in->rtp_ep;
	/* only the confirmed source: anything else goes up to the session,
	 * whose latching decides, and the flows follow it */
	(void)media_flow_ep_from_sa(&f->key.src, &src);
	f->action.new_src = rtcp ? out->rtcp_ep : out->rtp_ep;
	(void)media_flow_ep_from_sa(&f->action.new_dst, &dst);
	f->action.rtcp = TL_FLOW_RTCP_FORWARD;
	if (rtcp)
		f->action.flags = TL_FLOW_F_RTCP_PORT;
	else if (in->m.mux)
		f->action.flags = TL_FLOW_F_RTCP_MUX;
	/* the codec only: telephone-events, CN and anything else go to the
	 * slow path (the codec's payload type is the same on both sides:
	 * the codecs are static types); with SRTP the engine also forwards
	 * the telephone-events (same type both sides, see want()) */
	pts[0] = in->fi.pt;
	if (srtp_call(in, out) && in->fi.te_pt >= 0)
		pts[npt++] = (uint8_t)in->fi.te_pt;
	media_flow_pt_forward_only(&f->action, pts, npt);
	/* SRTP on either side: the relay unprotects with the contexts of
	 * the leg it came from and protects with those of the other; XDP
	 * refuses such flows, so they stay on the relay */
	if (in->m.srtp_in) {
		f->action.flags |= TL_FLOW_F_SRTP_IN;
		f->action.srtp_in = f->id; /* the relay's contexts: any id */
	}
	if (out->m.srtp_out) {
		f->action.flags |= TL_FLOW_F_SRTP_OUT;
		f->action.srtp_out = f->id;
	}
}

/* The contexts of the flows that use SRTP, once they are installed:
 * flows 0 and 2 come from side 0, 1 and 3 from side 1. */
static int flows_srtp(struct call_relay *rl)
{
	int err = 0;

	for (unsigned i = 0; i < rl->nflows && !err; i++) {
		const struct side *in = &rl->s[i & 1];
		const struct side *out = &rl->s[!(i & 1)];
		const struct tl_flow *f = &rl->f[i];

		if (f->action.flags & (TL_FLOW_F_SRTP_IN | TL_FLOW_F_SRTP_OUT))
			err = ofl_module_flow_srtp(&f->key.local, in->m.srtp_in,
						   out->m.srtp_out);
	}
	return err;
}

/* Forward a telephone-event from @in's peer to the other peer, with the
 * other side's payload type, as the flow would have forwarded audio. */
static void te_forward(struct call_relay *rl, struct side *in, uint8_t *pkt,
		       size_t len)
{
	struct side *out = &rl->s[in == &rl->s[0]];
	const struct sa *dst = &out->m.rtp_peer;

	pkt[1] = (uint8_t)((pkt[1] & 0x80) | (out->fi.te_pt & 0x7f));
	if (sendto(out->m.rtp_fd, pkt, len, MSG_DONTWAIT, &dst->u.sa,
		   dst->len) < 0)
		LOGD_ID(leg_id(rl), "telephone-event not forwarded: %s",
			strerror(errno));
}

static void again_h(void *arg)
{
	struct call_relay *rl = arg;
	struct call_bridge *br = rl->br;

	/* re-applying the bridge re-checks the relay and, if it no longer
	 * qualifies, restarts the decoding tick; it may free the relay */
	mem_ref(rl);
	call_bridge_set(br, br->a, br->b, br->ab, br->ba);
	mem_deref(rl);
}

static bool moved(const struct side *sd)
{
	struct rtp_sess_media m;

	rtp_sess_media(sd->rs, &m);
	return !sa_eq(&m.rtp_peer, &sd->m.rtp_peer) ||
	       (!m.mux && !sa_eq(&m.rtcp_peer, &sd->m.rtcp_peer));
}

static void slow_h(int fd, const struct sockaddr_storage *src, uint8_t *pkt,
		   size_t len, const struct tl_flow *flow,
		   enum tl_flow_reason why, void *arg)
{
	struct side *sd = arg;
	struct call_relay *rl = sd->rl;
	struct side *other = &rl->s[sd == &rl->s[0]];
	struct sa from = {0};
	bool te;

	from.len =
	    src->ss_family == AF_INET6 ? sizeof(from.u.in6) : sizeof(from.u.in);
	memcpy(&from.u.ss, src, from.len);
	te = flow && why == TL_FLOW_R_PT && fd == sd->m.rtp_fd && len >= 12 &&
	     !srtp_call(sd, other) && sd->fi.te_pt >= 0 &&
	     other->fi.te_pt >= 0 && (pkt[1] & 0x7f) == sd->fi.te_pt;
	/* a DIGIT event from the session may end the call, and the bridge
	 * with it: hold the relay across */
	mem_ref(rl);
	rtp_sess_input(sd->rs, fd, pkt, len, &from);
	if (te && rl->on)
		te_forward(rl, sd, pkt, len);
	/* the session re-latched (NAT rebinding, a new media server): the
	 * flows follow from the loop, outside the relay's handler */
	if (rl->on && !tmr_running(&rl->again) && moved(sd))
		tmr_start(rl->br->loop, &rl->again, 0, again_h, rl);
	mem_deref(rl);
}

static void socks_del(struct call_relay *rl)
{
	for (int i = 0; i < 2; i++) {
		struct side *sd = &rl->s[i];

		ofl_module_sock_del(sd->m.rtp_fd);
		if (sd->m.rtcp_fd >= 0)
			ofl_module_sock_del(sd->m.rtcp_fd);
		(void)rtp_sess_handover(sd->rs, false);
	}
}

static int socks_add(struct call_relay *rl)
{
	int err = 0;

	for (int i = 0; i < 2 && !err; i++) {
		struct side *sd = &rl->s[i];

		(void)rtp_sess_handover(sd->rs, true);
		err = ofl_module_sock_add(sd->m.rtp_fd, slow_h, sd);
		if (!err && sd->m.rtcp_fd >= 0)
			err = ofl_module_sock_add(sd->m.rtcp_fd, slow_h, sd);
	}
	if (err)
		socks_del(rl);
	return err;
}

static void stats_add(struct call_relay *rl, struct call_relay_stats *st)
{
	struct ofl *o = ofl_module_get();
	struct ofl_stats s;

	if (!rl || !rl->on || !o)
		return;
	for (unsigned i = 0; i < rl->nflows; i++) {
		if (ofl_flow_stats(o, &rl->f[i].key.local, &s))
			continue;
		st->packets += s.packets;
		st->bytes += s.bytes;
		if (s.last_ns / 1000000 > st->last_ms)
			st->last_ms = s.last_ns / 1000000;
		if (i == 0)
			st->engine = s.engine;
	}
}

static void uninstall(struct call_relay *rl, const char *why)
{
	struct ofl *o = ofl_module_get();
	struct call_relay_stats *d = &rl->br->done;

	if (!rl->on)
		return;
	tmr_cancel(&rl->again);
	/* the counters as they stand, before the flows go */
	stats_add(rl, d);
	if (o) {
		ofl_pair_remove(o, &rl->f[0].key.local, &rl->f[1].key.local);
		if (rl->nflows == NFLOWS)
			ofl_pair_remove(o, &rl->f[2].key.local,
					&rl->f[3].key.local);
	}
	socks_del(rl);
	rl->on = false;
	LOGI_ID(leg_id(rl), "media relay off (%s): %llu packets forwarded", why,
		(unsigned long long)d->packets);
}

static int install(struct call_relay *rl)
{
	struct ofl *o = ofl_module_get();
	struct side *a = &rl->s[0], *b = &rl->s[1];
	struct ofl_stats st;
	int err;

	err = side_eps(a);
	if (!err)
		err = side_eps(b);
	if (err)
		return err;
	flow_make(&rl->f[0], a, b, false);
	flow_make(&rl->f[1], b, a, false);
	rl->nflows = 2;
	if (!a->m.mux) {
		flow_make(&rl->f[2], a, b, true);
		flow_make(&rl->f[3], b, a, true);
		rl->nflows = NFLOWS;
	}
	err = socks_add(rl);
	if (err)
		return err;
	err = ofl_pair_install(o, &rl->f[0], &rl->f[1]);
	if (err) {
		socks_del(rl);
		return err;
	}
	if (rl->nflows == NFLOWS && ofl_pair_install(o, &rl->f[2], &rl->f[3])) {
		/* RTCP then reaches the sessions through the slow path */
		LOGW_ID(leg_id(rl), "RTCP not relayed: decoded by the legs");
		rl->nflows = 2;
	}
	rl->on = true;
	err = flows_srtp(rl);
	if (err) {
		uninstall(rl, "SRTP contexts refused");
		return err;
	}
	rl->why = NULL;
	if (!ofl_flow_stats(o, &rl->f[0].key.local, &st)) {
		rl->br->done.engine = st.engine;
		LOGI_ID(leg_id(rl),
			"media relayed by %s: flows %u-%u, %s <-> %s",
			st.engine, rl->f[0].id, rl->f[rl->nflows - 1].id,
			rl->s[0].leg->name, rl->s[1].leg->name);
	}
	return 0;
}

static void relay_destroy(void *arg)
{
	struct call_relay *rl = arg;

	/* call_relay_stop() took the flows down already */
	tmr_cancel(&rl->again);
	mem_deref(rl->s[0].leg);
	mem_deref(rl->s[1].leg);
}

bool call_relay_check(struct call_bridge *br)
{
	struct call_relay *rl = br->relay;
	struct ofl *o = ofl_module_get();
	const char *why;
	int err;

	if (!o || !br->a || !br->b || br->a->clock || br->b->clock ||
	    !(br->ab || br->ba)) {
		call_relay_stop(br);
		return false;
	}
	if (!rl) {
		rl = mem_zalloc(sizeof(*rl), relay_destroy);
		if (!rl)
			return false;
		rl->br = br;
		tmr_init(&rl->again);
		for (int i = 0; i < 2; i++)
			rl->s[i].rl = rl;
		rl->s[0].leg = mem_ref(br->a);
		rl->s[1].leg = mem_ref(br->b);
		br->relay = rl;
	}
	if (rl->on) {
		struct side old[2] = {rl->s[0], rl->s[1]};

		why = want(rl);
		/* the same media as installed: nothing to do */
		if (!why && same_media(old, rl->s))
			return true;
		/* put back what the flows were made of: uninstall needs it */
		rl->s[0] = old[0];
		rl->s[1] = old[1];
		uninstall(rl, why && *why ? why : "the media changed");
		why = want(rl);
	} else {
		why = want(rl);
	}
	if (why) {
		if (*why && why != rl->why)
			LOGI_ID(leg_id(rl), "media decoded, not relayed: %s",
				why);
		rl->why = why;
		return false;
	}
	/* refused before with this very media: not again every tick */
	if (rl->refused && same_media(rl->ref, rl->s))
		return false;
	err = install(rl);
	if (err) {
		LOGW_ID(leg_id(rl),
			"media relay refused the flows (%s): "
			"decoded until the media change",
			strerror(-err));
		rl->refused = true;
		rl->ref[0] = rl->s[0];
		rl->ref[1] = rl->s[1];
		return false;
	}
	rl->refused = false;
	return true;
}

void call_relay_stop(struct call_bridge *br)
{
	struct call_relay *rl = br->relay;

	if (!rl)
		return;
	/* now, not in the destructor: a slow-path handler may hold the
	 * relay past the bridge's life */
	uninstall(rl, "bridge stopped");
	rl->br = NULL;
	br->relay = NULL;
	mem_deref(rl);
}

void call_relay_stats(const struct call_bridge *br, struct call_relay_stats *st)
{
	*st = br->done;
	stats_add(br->relay, st);
	st->on = call_bridge_relayed(br);
}
