/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sim backend's far end, as tests and the control socket drive it: a
 * simulated phone on a sim line places a call into the gateway, or hangs
 * up. Outgoing calls need nothing here: the sim switch answers them by
 * the [sim] script.
 */
#ifndef TL_TDM_SIM_H
#define TL_TDM_SIM_H

#include "tdm.h"

/* A phone on sim channel @line calls @called from @caller (may be "" or
 * NULL) with presentation @pres. After the call layer answers, the phone
 * echoes what it hears. 0, -ENOENT (no such sim channel), -EBUSY (not
 * idle), -EINVAL (bad numbers). */
int tdm_sim_call(struct tdm *t, unsigned line, const char *called,
		 const char *caller, enum tdm_pres pres);

/* The far end of sim channel @line hangs up with Q.850 @cause.
 * 0, -ENOENT, -EPROTO (no call), -EINVAL (bad cause). */
int tdm_sim_hangup(struct tdm *t, unsigned line, int cause);

/* What the simulated exchange received in the last call placed on sim
 * channel @line (numbers, types of number, presentation) into *@out.
 * 0, -ENOENT (no such sim channel), -ENODATA (no call placed yet). */
int tdm_sim_dialled(struct tdm *t, unsigned line, struct tdm_setup *out);

#endif
