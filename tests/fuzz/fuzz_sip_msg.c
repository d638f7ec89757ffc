// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the SIP message parser. What parses must re-print and
 * re-parse to the same headers and body; a request gets a 200 built and
 * parsed; what fails but is answerable gets a 400 built. Never crashes or
 * leaks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sip/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const struct sip_msg *a, const struct sip_msg *b)
{
	if (a->hdrc != b->hdrc || !strv_eq(a->body, b->body) ||
	    a->req != b->req || a->scode != b->scode ||
	    !strv_eq(a->call_id, b->call_id) || a->cseq.num != b->cseq.num ||
	    a->nvia != b->nvia || a->ncontact != b->ncontact)
		abort();
	for (uint32_t i = 0; i < a->hdrc; i++)
		if (a->hdrv[i].id != b->hdrv[i].id ||
		    !strv_eq(a->hdrv[i].val, b->hdrv[i].val))
			abort();
}

static void walk(const struct sip_msg *m)
{
	struct sip_via via;
	struct sip_addr a;
	uint64_t pos = 0;
	char tmp[256];

	while (sip_msg_via_next(m, &pos, &via))
		(void)sip_param_get(via.params, "branch", NULL);
	pos = 0;
	while (sip_msg_addr_next(m, SIP_HDR_CONTACT, &pos, &a))
		(void)sip_unescape(a.uri.user, tmp, sizeof(tmp));
	for (uint32_t i = 0; i < m->hdrc; i++)
		(void)sip_unfold(m->hdrv[i].val, tmp, sizeof(tmp));
	(void)sip_msg_has_token(m, SIP_HDR_SUPPORTED, "100rel");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sip_resp_params rp = { .scode = 200, .to_tag = STRV("t1") };
	struct sip_msg *m = NULL, *m2 = NULL;
	struct sip_perr perr;
	struct buf b = { 0 };

	if (sip_msg_parse(&m, data, size, 0, &perr) == 0) {
		walk(m);
		(void)sip_msg_check(m, NULL);
		if (sip_msg_print(&b, m) ||
		    sip_msg_parse(&m2, b.data, b.len, 0, NULL))
			abort();
		same(m, m2);
		m2 = mem_deref(m2);
		if (m->req) {
			buf_reset(&b);
			if (sip_resp_print(&b, m, &rp))
				abort();
			if (sip_msg_parse(&m2, b.data, b.len, 0, NULL) == 0 &&
			    m2->nvia != m->nvia)
				abort();
			m2 = mem_deref(m2);
		}
		mem_deref(m);
	} else if (sip_msg_salvage(&m, data, size) == 0) {
		rp.scode = perr.scode;
		rp.reason = perr.reason;
		if (!sip_msg_answerable(m) || sip_resp_print(&b, m, &rp))
			abort();
		mem_deref(m);
	}
	buf_free(&b);
	return 0;
}
