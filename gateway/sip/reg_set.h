/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the registration set: shared by reg_set.c and reg_ctl.c. */
#ifndef TL_SIP_REG_SET_H
#define TL_SIP_REG_SET_H

#include "../base/list.h"
#include "reg.h"

struct sip_regs_ent {
	struct le le;			/* in sip_regs.ents */
	struct sip_reg *r;		/* owned */
	char *fp;			/* owned: the params it was made of */
	bool leaving;			/* unregistering, then freed */
};

struct sip_regs {
	struct loop *loop;		/* borrowed */
	struct sip_tsx_layer *tsx;	/* borrowed */
	struct sip_transp *tp;		/* borrowed */
	struct list ents;		/* struct sip_regs_ent, owned */
};

#endif
