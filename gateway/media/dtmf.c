// SPDX-License-Identifier: GPL-2.0
/* RFC 4733 event codes and the telephone-event payload parser. */
#include <errno.h>

#include "dtmf.h"

static const char dtmf_digits[16] = "0123456789*#ABCD";

int media_dtmf_code(char digit)
{
	if (digit >= '0' && digit <= '9')
		return digit - '0';
	if (digit == '*')
		return 10;
	if (digit == '#')
		return 11;
	if (digit >= 'A' && digit <= 'D')
		return 12 + digit - 'A';
	if (digit >= 'a' && digit <= 'd')
		return 12 + digit - 'a';
	return -EINVAL;
}

char media_dtmf_digit(int code)
{
	if (code < 0 || code > 15)
		return '\0';
	return dtmf_digits[code];
}

int media_dtmf_parse(struct media_dtmf_payload *p, const uint8_t *buf,
		     size_t len)
{
	/* RFC 4733 2.3: event(8) E(1) R(1) volume(6) duration(16); packets
	 * carrying several blocks come from RFC 2198 redundancy, where the
	 * first is the newest */
	if (len < MEDIA_DTMF_PAYLOAD_LEN || len % MEDIA_DTMF_PAYLOAD_LEN)
		return -EBADMSG;
	p->event = buf[0];
	p->end = buf[1] & 0x80;
	p->volume = buf[1] & 0x3f;
	p->duration = (uint16_t)(buf[2] << 8 | buf[3]);
	return 0;
}
