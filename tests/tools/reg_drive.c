// SPDX-License-Identifier: GPL-2.0
/*
 * reg_drive - Trunkline's registration client (gateway/sip/reg) on its
 * own loop, UDP transport and transaction layer, against an outside
 * registrar (SIPp in tests/integration/t_sip_register.sh), while the SIP
 * module does not start registrations yet.
 *
 *   reg_drive REGISTRAR AOR PASSWORD EXPIRES SECONDS
 *
 * REGISTRAR is ip:port, PASSWORD "-" for none. Listens on 127.0.0.1 (a
 * free port), registers, and prints one line per state change:
 *
 *   STATE t=MS state=NAME status=CODE reason="..." granted=S next=MS
 *
 * After SECONDS it unregisters (waiting at most 2 s for the answer) and
 * prints "DONE unanswered=N". Exit 0, or 2 on a usage or setup error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAG "drive"
#include "../../gateway/base/log.h"
#include "../../gateway/base/loop.h"
#include "../../gateway/base/mem.h"
#include "../../gateway/sip/reg.h"
#include "../../gateway/sip/tsx.h"

struct drive {
	struct loop *loop;
	struct sip_transp *tp;
	struct sip_tsx_layer *tsx;
	uint64_t t0;
};

static int d_send(void *arg, enum sip_tp tp, const struct sa *dst,
		  struct sip_conn *conn, const void *data, size_t len)
{
	struct drive *d = arg;

	return sip_transp_send(d->tp, tp, dst, conn, data, len);
}

static int d_send_resp(void *arg, const struct sip_msg *req,
		       const struct sip_src *src, const void *data,
		       size_t len)
{
	struct drive *d = arg;

	return sip_transp_send_resp(d->tp, req, src, data, len);
}

static void d_recv(struct sip_msg *msg, const struct sip_src *src, void *arg)
{
	struct drive *d = arg;

	sip_tsx_input(d->tsx, msg, src);
}

static void on_state(struct sip_reg *r, enum sip_reg_state st, void *arg)
{
	struct drive *d = arg;
	struct sip_reg_info i;

	sip_reg_info(r, &i);
	printf("STATE t=%llu state=%s status=%u reason=\"%s\" granted=%u "
	       "next=%lld\n",
	       (unsigned long long)(loop_now_ms() - d->t0),
	       sip_reg_state_name(st), i.last_scode, i.last_reason,
	       i.granted, (long long)i.next_ms);
	fflush(stdout);
}

static void on_end(void *arg)
{
	loop_stop(arg);
}

int main(int argc, char **argv)
{
	struct sip_tsx_params xp = { .send = d_send,
				     .send_resp = d_send_resp };
	struct sip_transp_params tpp = { 0 };
	struct sip_reg_params p = { .name = "drive", .tp = SIP_TP_UDP,
				    .retry_min_ms = 500,
				    .retry_max_ms = 2000,
				    .user_agent = "reg_drive" };
	struct drive d = { 0 };
	struct sip_reg *r = NULL;
	struct sa any;
	struct tmr end;
	size_t left;
	int err, rc = 2;

	if (argc != 6 || sa_parse(&p.registrar, argv[1], 5060)) {
		fprintf(stderr, "usage: reg_drive REGISTRAR AOR PASSWORD "
			"EXPIRES SECONDS\n");
		return 2;
	}
	log_open(LOG_SINK_STDERR, "reg_drive");
	log_set_level(LOG_LVL_DEBUG);
	p.aor = argv[2];
	p.password = strcmp(argv[3], "-") ? argv[3] : NULL;
	p.expires = (uint32_t)strtoul(argv[4], NULL, 10);
	xp.arg = &d;
	tmr_init(&end);
	d.loop = loop_new();
	if (!d.loop)
		goto out;
	err = sip_tsx_layer_new(&d.tsx, d.loop, &xp);
	if (!err)
		err = sip_transp_new(&d.tp, d.loop, &tpp, d_recv, &d);
	if (!err)
		err = sa_set_ip(&any, "127.0.0.1", 0);
	if (!err)
		err = sip_transp_listen(d.tp, SIP_TP_UDP, &any);
	if (!err)
		err = sip_reg_new(&r, d.loop, d.tsx, d.tp, &p);
	if (err) {
		fprintf(stderr, "reg_drive: setup: %s\n", strerror(-err));
		goto out;
	}
	d.t0 = loop_now_ms();
	sip_reg_set_handler(r, on_state, &d);
	sip_reg_start(r);
	tmr_start(d.loop, &end, strtoull(argv[5], NULL, 10) * 1000, on_end,
		  d.loop);
	loop_run(d.loop);
	if (sip_reg_stop(r) == 0) {
		uint64_t stop = loop_now_ms() + 2000;
		struct sip_reg_info i;

		do {
			loop_poll(d.loop, 50);
			sip_reg_info(r, &i);
		} while (i.state == SIP_REG_UNREGISTERING &&
			 loop_now_ms() < stop);
		left = i.state == SIP_REG_UNREGISTERING;
	} else {
		left = 0;
	}
	printf("DONE unanswered=%zu\n", left);
	rc = 0;
out:
	tmr_cancel(&end);
	mem_deref(r);
	mem_deref(d.tsx);
	mem_deref(d.tp);
	mem_deref(d.loop);
	log_close();
	return rc;
}
