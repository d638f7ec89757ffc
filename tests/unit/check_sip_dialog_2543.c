// SPDX-License-Identifier: GPL-2.0
/*
 * gateway/sip dialogs with an RFC 2543 peer (RFC 4475 3.4.1): a From
 * without a tag is a null remote tag (RFC 3261 12.1.1: "A UAS MUST be
 * prepared to receive a request without a tag in the From field"); the
 * dialog matches the peer's in-dialog requests that have no From tag and
 * our requests carry a To without one. A dialog still needs a Contact
 * (RFC 3261 8.1.1.8): the remote target comes from nowhere else.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../gateway/base/mem.h"
#include "../../gateway/sip/dialog.h"
#include "tl_check.h"

#define HEAD(method) method " sip:UserB@example.com SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP iftgw.example.com\r\n" \
	"From: <sip:+13035551111@ift.client.example.net;user=phone>"

/* RFC 4475 3.4.1's INVITE (no branch, no From tag, no Max-Forwards) with
 * the Contact a dialog needs and a Content-Length */
static const char inv2543_contact[] =
	HEAD("INVITE") "\r\n"
	"Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>\r\n"
	"To: sip:+16505552222@ss1.example.net;user=phone\r\n"
	"Call-ID: inv2543.1717@ift.client.example.com\r\n"
	"CSeq: 56 INVITE\r\n"
	"Contact: <sip:+13035551111@iftgw.example.com>\r\n"
	"Content-Length: 0\r\n\r\n";

static struct sip_msg *parse(const char *txt)
{
	struct sip_msg *m = NULL;
	struct sip_perr pe = { 0 };

	ck_assert_msg(sip_msg_parse(&m, txt, strlen(txt), 0, &pe) == 0,
		      "parse: %s\n%s", pe.reason, txt);
	return m;
}

/* An in-dialog request from the 2543 peer, From tag @ftag ("" = none). */
static struct sip_msg *peer_req(const char *ftag, uint32_t cseq)
{
	char txt[1024];

	snprintf(txt, sizeof(txt),
		 HEAD("BYE") "%s%s\r\n"
		 "To: sip:+16505552222@ss1.example.net;user=phone;tag=gw7\r\n"
		 "Call-ID: inv2543.1717@ift.client.example.com\r\n"
		 "CSeq: %u BYE\r\nContent-Length: 0\r\n\r\n",
		 *ftag ? ";tag=" : "", ftag, cseq);
	return parse(txt);
}

START_TEST(null_from_tag)
{
	struct sip_msg *req = parse(inv2543_contact), *m;
	struct sip_dialog_req_params p = {
		.method = STRV("BYE"),
		.transport = STRV("UDP"),
		.sent_by = STRV("198.18.0.2:5060"),
	};
	struct sip_dialog *d = NULL;
	struct buf b = { 0 };

	ck_assert_uint_eq(req->from.tag.l, 0);
	ck_assert_int_eq(sip_dialog_uas_create(&d, req, STRV("gw7"), true), 0);
	ck_assert_str_eq(d->rtag, "");
	ck_assert_str_eq(d->ltag, "gw7");
	ck_assert_str_eq(d->target, "sip:+13035551111@iftgw.example.com");
	ck_assert_uint_eq(d->nroute, 1);
	/* the peer's BYE without a From tag is in the dialog; one with a
	 * tag belongs to some other dialog */
	m = peer_req("", 57);
	ck_assert(sip_dialog_match_req(d, m));
	mem_deref(m);
	m = peer_req("x1", 57);
	ck_assert(!sip_dialog_match_req(d, m));
	mem_deref(m);
	/* our BYE: To without a tag, From with ours */
	ck_assert_int_eq(sip_dialog_req(d, &b, &p, NULL), 0);
	m = parse(buf_cstr(&b));
	ck_assert_uint_eq(m->to.tag.l, 0);
	ck_assert(strv_eq(m->from.tag, STRV("gw7")));
	ck_assert(strv_eq(m->call_id,
			  STRV("inv2543.1717@ift.client.example.com")));
	mem_deref(m);
	buf_free(&b);
	mem_deref(d);
	mem_deref(req);
}
END_TEST

/* The RFC 4475 bytes themselves have no Contact: no remote target, no
 * dialog (-EBADMSG: the UAS answers 400). */
START_TEST(no_contact)
{
	static const char txt[] =
		HEAD("INVITE") "\r\n"
		"To: sip:+16505552222@ss1.example.net;user=phone\r\n"
		"Call-ID: inv2543.1717@ift.client.example.com\r\n"
		"CSeq: 56 INVITE\r\nContent-Length: 0\r\n\r\n";
	struct sip_msg *req = parse(txt);
	struct sip_dialog *d = NULL;

	ck_assert_int_eq(sip_dialog_uas_create(&d, req, STRV("gw7"), true),
			 -EBADMSG);
	ck_assert_ptr_null(d);
	/* no local tag is still a caller's mistake */
	ck_assert_int_eq(sip_dialog_uas_create(&d, req, STRV_NULL, true),
			 -EINVAL);
	mem_deref(req);
}
END_TEST

Suite *sip_dialog_2543_suite(void)
{
	Suite *s = suite_create("sip_dialog_2543");
	TCase *tc = tl_tcase(s, "rfc2543");

	tcase_add_test(tc, null_from_tag);
	tcase_add_test(tc, no_contact);
	return s;
}
