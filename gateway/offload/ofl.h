/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gateway/offload: who forwards a call's media. Engines implement the flow
 * contract (kmod/uapi/trunkline_flow.h) behind one ops table:
 *   relay  the userspace relay (gateway/media/relay.c), always present and
 *          always holding every flow, so anything a faster engine passes up
 *          is forwarded exactly as without it;
 *   xdp    the XDP program (ebpf/tl_xdp.bpf.c), tried when configured.
 * A pair (both directions of a call's media) is installed whole or not at
 * all, and only once the caller has confirmed the peer's source; the call
 * layer removes it on re-INVITE, address change, hold or hangup.
 * One thread: the loop's.
 */
#ifndef TL_OFFLOAD_OFL_H
#define TL_OFFLOAD_OFL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../media/flow.h"
#include "../media/relay.h"

struct media_relay;
struct ofl;

/* `offload =` in [offload] */
enum ofl_mode {
	OFL_AUTO = 0, /* XDP if it loads, else the relay; log which */
	OFL_XDP,      /* XDP wanted: log an error if it cannot be used */
	OFL_OFF,      /* the userspace relay only */
};

struct ofl_params {
	enum ofl_mode mode;
	const char *const *ifaces; /* borrowed: interfaces to attach to */
	size_t nifaces;
	bool xdp_generic;	   /* SKB mode instead of native (driver) */
	const char *pin_dir;	   /* bpffs folder for the maps; "" none */
	struct media_relay *relay; /* borrowed; may be set later */
};

/*
 * An engine. init() makes its state from @p (-EOPNOTSUPP, -ENODEV ...
 * when it cannot run here, with the reason logged); flow_add() adds or
 * replaces the flow keyed on f->key.local (-EOPNOTSUPP for a flow it
 * cannot forward, e.g. SRTP in XDP); flow_del() removes it (-ENOENT)
 * and, when @final is not NULL, stores its counters as read after the
 * removal, so that no packet the engine forwarded before it is missed;
 * counters() reads it summed over CPUs (-ENOENT); close() undoes init().
 */
struct ofl_ops {
	const char *name;
	int (*init)(void **statep, const struct ofl_params *p);
	int (*flow_add)(void *st, const struct tl_flow *f);
	int (*flow_del)(void *st, const struct tl_flow_ep *local,
			struct tl_flow_counters *final);
	int (*counters)(void *st, const struct tl_flow_ep *local,
			struct tl_flow_counters *c);
	/* forward at once what waits for the flow on @local */
	int (*flush)(void *st, const struct tl_flow_ep *local);
	void (*close)(void *st);
};

extern const struct ofl_ops ofl_relay_ops;
extern const struct ofl_ops ofl_xdp_ops;

/* A flow's counters as the call layer sees them (stats, CDR, timeout). */
struct ofl_stats {
	const char *engine;	    /* where the flow is now: "xdp", "relay" */
	uint64_t packets, bytes;    /* forwarded by any engine */
	uint64_t last_ns;	    /* CLOCK_MONOTONIC, latest of all engines */
	struct tl_flow_counters fast; /* the fast engine's share */
	struct tl_flow_counters slow; /* the relay's (all punts end there) */
};

/*
 * New offload layer from @p, trying @fast (normally &ofl_xdp_ops; NULL:
 * none) unless p->mode is OFL_OFF. Logs the engine chosen, and an error
 * when OFL_XDP was asked for and cannot be had (the relay then carries
 * the media). 0 and *@op (a mem object), or -ENOMEM.
 */
int ofl_new(struct ofl **op, const struct ofl_params *p,
	    const struct ofl_ops *fast);

/* Name of the fastest engine in use: "xdp" or "relay". */
const char *ofl_engine(const struct ofl *o);

/* Set the relay (borrowed) once the media layer has made it. */
void ofl_set_relay(struct ofl *o, struct media_relay *relay);

/*
 * Install both directions of a call's media, @ab and @ba, atomically: in
 * the relay, then in the fast engine when there is one and it takes both
 * (if it does not, the pair stays on the relay and a warning is logged).
 * Call only once the peers' sources are confirmed. -EINVAL (a flow fails
 * media_flow_check or both share a local endpoint), -EEXIST (a local
 * endpoint already has a flow), -ENODEV (no relay), or the relay's error;
 * on error nothing is installed.
 */
int ofl_pair_install(struct ofl *o, const struct tl_flow *ab,
		     const struct tl_flow *ba);

/*
 * Remove the pair whose directions are keyed on @a and @b, from every
 * engine, fast engine first. Forwarding stops at once: a packet after
 * this goes to the slow path as unmatched. -ENOENT if either is unknown
 * (the other is still removed).
 */
int ofl_pair_remove(struct ofl *o, const struct tl_flow_ep *a,
		    const struct tl_flow_ep *b);

/*
 * Move an installed pair onto the fast engine (@fast) or back to the
 * relay only, both directions together. The relay keeps the flows
 * throughout, so no packet is lost or forwarded twice. -ENOENT,
 * -EOPNOTSUPP (no fast engine, or it refused the flows).
 */
int ofl_pair_offload(struct ofl *o, const struct tl_flow_ep *a,
		     const struct tl_flow_ep *b, bool fast);

/* Counters of the flow keyed on @local; -ENOENT. */
int ofl_flow_stats(struct ofl *o, const struct tl_flow_ep *local,
		   struct ofl_stats *s);

/* Visit every installed flow in install order; stops at a nonzero return
 * of @h and returns it. */
typedef int(ofl_flow_h)(const struct tl_flow *f, const struct ofl_stats *s,
			void *arg);
int ofl_flow_foreach(struct ofl *o, ofl_flow_h *h, void *arg);

/* The daemon's module: [offload] and `show flows` (gateway/core/modules.c
 * lists it). */
struct tl_module;
extern const struct tl_module offload_module;

/* The running offload layer (borrowed), NULL before the module starts. */
struct ofl *ofl_module_get(void);

/*
 * The daemon's userspace relay, made by the module on the main loop and
 * given to its offload layer. Sockets join it with their own slow-path
 * handler: ofl_module_sock_add() serves @fd (borrowed, bound) in the
 * relay and sends what the relay does not forward from it to @h with
 * @arg; ofl_module_sock_del() stops that (the fd's flows go with it).
 * -ENODEV when the module is not running, else media_relay_sock_add()'s
 * error.
 */
int ofl_module_sock_add(int fd, media_relay_slow_h *h, void *arg);
void ofl_module_sock_del(int fd);

/* media_relay_flow_srtp() on the module's relay: SRTP contexts for the
 * installed flow keyed on @local (the relay engine only: XDP refuses SRTP
 * flows). -ENODEV when the module is not running, -ENOENT. */
int ofl_module_flow_srtp(const struct tl_flow_ep *local, struct rtp_srtp *in,
			 struct rtp_srtp *out);

#endif
