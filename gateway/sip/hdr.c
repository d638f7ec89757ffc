// SPDX-License-Identifier: GPL-2.0
/* Header names and ids, methods, parameter lists and value helpers. */
#include <errno.h>
#include <string.h>

#include "scan.h"

static const char *const hdr_names[SIP_HDR_NUM] = {
	[SIP_HDR_OTHER] = "",
	[SIP_HDR_ACCEPT] = "Accept",
	[SIP_HDR_ACCEPT_CONTACT] = "Accept-Contact",
	[SIP_HDR_ACCEPT_ENCODING] = "Accept-Encoding",
	[SIP_HDR_ACCEPT_LANGUAGE] = "Accept-Language",
	[SIP_HDR_ALERT_INFO] = "Alert-Info",
	[SIP_HDR_ALLOW] = "Allow",
	[SIP_HDR_ALLOW_EVENTS] = "Allow-Events",
	[SIP_HDR_AUTHENTICATION_INFO] = "Authentication-Info",
	[SIP_HDR_AUTHORIZATION] = "Authorization",
	[SIP_HDR_CALL_ID] = "Call-ID",
	[SIP_HDR_CALL_INFO] = "Call-Info",
	[SIP_HDR_CONTACT] = "Contact",
	[SIP_HDR_CONTENT_DISPOSITION] = "Content-Disposition",
	[SIP_HDR_CONTENT_ENCODING] = "Content-Encoding",
	[SIP_HDR_CONTENT_LANGUAGE] = "Content-Language",
	[SIP_HDR_CONTENT_LENGTH] = "Content-Length",
	[SIP_HDR_CONTENT_TYPE] = "Content-Type",
	[SIP_HDR_CSEQ] = "CSeq",
	[SIP_HDR_DATE] = "Date",
	[SIP_HDR_ERROR_INFO] = "Error-Info",
	[SIP_HDR_EVENT] = "Event",
	[SIP_HDR_EXPIRES] = "Expires",
	[SIP_HDR_FROM] = "From",
	[SIP_HDR_IDENTITY] = "Identity",
	[SIP_HDR_IDENTITY_INFO] = "Identity-Info",
	[SIP_HDR_IN_REPLY_TO] = "In-Reply-To",
	[SIP_HDR_MAX_FORWARDS] = "Max-Forwards",
	[SIP_HDR_MIME_VERSION] = "MIME-Version",
	[SIP_HDR_MIN_EXPIRES] = "Min-Expires",
	[SIP_HDR_MIN_SE] = "Min-SE",
	[SIP_HDR_ORGANIZATION] = "Organization",
	[SIP_HDR_P_ASSERTED_IDENTITY] = "P-Asserted-Identity",
	[SIP_HDR_P_PREFERRED_IDENTITY] = "P-Preferred-Identity",
	[SIP_HDR_PRIORITY] = "Priority",
	[SIP_HDR_PRIVACY] = "Privacy",
	[SIP_HDR_PROXY_AUTHENTICATE] = "Proxy-Authenticate",
	[SIP_HDR_PROXY_AUTHORIZATION] = "Proxy-Authorization",
	[SIP_HDR_PROXY_REQUIRE] = "Proxy-Require",
	[SIP_HDR_RACK] = "RAck",
	[SIP_HDR_REASON] = "Reason",
	[SIP_HDR_RECORD_ROUTE] = "Record-Route",
	[SIP_HDR_REFER_TO] = "Refer-To",
	[SIP_HDR_REFERRED_BY] = "Referred-By",
	[SIP_HDR_REJECT_CONTACT] = "Reject-Contact",
	[SIP_HDR_REPLACES] = "Replaces",
	[SIP_HDR_REPLY_TO] = "Reply-To",
	[SIP_HDR_REQUEST_DISPOSITION] = "Request-Disposition",
	[SIP_HDR_REQUIRE] = "Require",
	[SIP_HDR_RETRY_AFTER] = "Retry-After",
	[SIP_HDR_ROUTE] = "Route",
	[SIP_HDR_RSEQ] = "RSeq",
	[SIP_HDR_SERVER] = "Server",
	[SIP_HDR_SESSION_EXPIRES] = "Session-Expires",
	[SIP_HDR_SUBJECT] = "Subject",
	[SIP_HDR_SUBSCRIPTION_STATE] = "Subscription-State",
	[SIP_HDR_SUPPORTED] = "Supported",
	[SIP_HDR_TIMESTAMP] = "Timestamp",
	[SIP_HDR_TO] = "To",
	[SIP_HDR_UNSUPPORTED] = "Unsupported",
	[SIP_HDR_USER_AGENT] = "User-Agent",
	[SIP_HDR_VIA] = "Via",
	[SIP_HDR_WARNING] = "Warning",
	[SIP_HDR_WWW_AUTHENTICATE] = "WWW-Authenticate",
};

const char *sip_hdr_name(enum sip_hdr_id id)
{
	return (unsigned)id < SIP_HDR_NUM ? hdr_names[id] : "";
}

/* Compare a token against a lowercase name. OR-ing 0x20 folds case: no
 * token octet other than a letter maps onto a lowercase letter or '-'. */
static bool lc_eq(const char *p, const char *lc, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i] | 0x20) != lc[i])
			return false;
	return true;
}

#define C(s, id)                                                            \
	do {                                                                \
		if (lc_eq(p, s, n))                                         \
			return id;                                          \
	} while (0)

static enum sip_hdr_id compact(char c)
{
	switch (c | 0x20) {
	case 'a': return SIP_HDR_ACCEPT_CONTACT;
	case 'b': return SIP_HDR_REFERRED_BY;
	case 'c': return SIP_HDR_CONTENT_TYPE;
	case 'd': return SIP_HDR_REQUEST_DISPOSITION;
	case 'e': return SIP_HDR_CONTENT_ENCODING;
	case 'f': return SIP_HDR_FROM;
	case 'i': return SIP_HDR_CALL_ID;
	case 'j': return SIP_HDR_REJECT_CONTACT;
	case 'k': return SIP_HDR_SUPPORTED;
	case 'l': return SIP_HDR_CONTENT_LENGTH;
	case 'm': return SIP_HDR_CONTACT;
	case 'n': return SIP_HDR_IDENTITY_INFO;
	case 'o': return SIP_HDR_EVENT;
	case 'r': return SIP_HDR_REFER_TO;
	case 's': return SIP_HDR_SUBJECT;
	case 't': return SIP_HDR_TO;
	case 'u': return SIP_HDR_ALLOW_EVENTS;
	case 'v': return SIP_HDR_VIA;
	case 'x': return SIP_HDR_SESSION_EXPIRES;
	case 'y': return SIP_HDR_IDENTITY;
	default: return SIP_HDR_OTHER;
	}
}

/* Switch on the length, then on the first letter: at most a few full
 * compares per header, no strcmp chain. @p must be a token. */
enum sip_hdr_id sip_hdr_lookup(const char *p, size_t n)
{
	if (n == 0)
		return SIP_HDR_OTHER;
	if (n == 1)
		return compact(p[0]);
	switch (n) {
	case 2:
		C("to", SIP_HDR_TO);
		break;
	case 3:
		C("via", SIP_HDR_VIA);
		break;
	case 4:
		switch (p[0] | 0x20) {
		case 'c': C("cseq", SIP_HDR_CSEQ); break;
		case 'd': C("date", SIP_HDR_DATE); break;
		case 'f': C("from", SIP_HDR_FROM); break;
		case 'r':
			C("rack", SIP_HDR_RACK);
			C("rseq", SIP_HDR_RSEQ);
			break;
		}
		break;
	case 5:
		C("allow", SIP_HDR_ALLOW);
		C("event", SIP_HDR_EVENT);
		C("route", SIP_HDR_ROUTE);
		break;
	case 6:
		C("accept", SIP_HDR_ACCEPT);
		C("min-se", SIP_HDR_MIN_SE);
		C("reason", SIP_HDR_REASON);
		C("server", SIP_HDR_SERVER);
		break;
	case 7:
		switch (p[0] | 0x20) {
		case 'c':
			C("call-id", SIP_HDR_CALL_ID);
			C("contact", SIP_HDR_CONTACT);
			break;
		case 'e': C("expires", SIP_HDR_EXPIRES); break;
		case 'p': C("privacy", SIP_HDR_PRIVACY); break;
		case 'r': C("require", SIP_HDR_REQUIRE); break;
		case 's': C("subject", SIP_HDR_SUBJECT); break;
		case 'w': C("warning", SIP_HDR_WARNING); break;
		}
		break;
	case 8:
		C("identity", SIP_HDR_IDENTITY);
		C("priority", SIP_HDR_PRIORITY);
		C("refer-to", SIP_HDR_REFER_TO);
		C("replaces", SIP_HDR_REPLACES);
		C("reply-to", SIP_HDR_REPLY_TO);
		break;
	case 9:
		C("call-info", SIP_HDR_CALL_INFO);
		C("supported", SIP_HDR_SUPPORTED);
		C("timestamp", SIP_HDR_TIMESTAMP);
		break;
	case 10:
		C("alert-info", SIP_HDR_ALERT_INFO);
		C("error-info", SIP_HDR_ERROR_INFO);
		C("user-agent", SIP_HDR_USER_AGENT);
		break;
	case 11:
		C("in-reply-to", SIP_HDR_IN_REPLY_TO);
		C("min-expires", SIP_HDR_MIN_EXPIRES);
		C("referred-by", SIP_HDR_REFERRED_BY);
		C("retry-after", SIP_HDR_RETRY_AFTER);
		C("unsupported", SIP_HDR_UNSUPPORTED);
		break;
	case 12:
		switch (p[0] | 0x20) {
		case 'a': C("allow-events", SIP_HDR_ALLOW_EVENTS); break;
		case 'c': C("content-type", SIP_HDR_CONTENT_TYPE); break;
		case 'm':
			C("max-forwards", SIP_HDR_MAX_FORWARDS);
			C("mime-version", SIP_HDR_MIME_VERSION);
			break;
		case 'o': C("organization", SIP_HDR_ORGANIZATION); break;
		case 'r': C("record-route", SIP_HDR_RECORD_ROUTE); break;
		}
		break;
	case 13:
		C("authorization", SIP_HDR_AUTHORIZATION);
		C("identity-info", SIP_HDR_IDENTITY_INFO);
		C("proxy-require", SIP_HDR_PROXY_REQUIRE);
		break;
	case 14:
		C("content-length", SIP_HDR_CONTENT_LENGTH);
		C("accept-contact", SIP_HDR_ACCEPT_CONTACT);
		C("reject-contact", SIP_HDR_REJECT_CONTACT);
		break;
	case 15:
		C("accept-encoding", SIP_HDR_ACCEPT_ENCODING);
		C("accept-language", SIP_HDR_ACCEPT_LANGUAGE);
		C("session-expires", SIP_HDR_SESSION_EXPIRES);
		break;
	case 16:
		C("content-encoding", SIP_HDR_CONTENT_ENCODING);
		C("content-language", SIP_HDR_CONTENT_LANGUAGE);
		C("www-authenticate", SIP_HDR_WWW_AUTHENTICATE);
		break;
	case 18:
		C("proxy-authenticate", SIP_HDR_PROXY_AUTHENTICATE);
		C("subscription-state", SIP_HDR_SUBSCRIPTION_STATE);
		break;
	case 19:
		switch (p[0] | 0x20) {
		case 'a':
			C("authentication-info", SIP_HDR_AUTHENTICATION_INFO);
			break;
		case 'c':
			C("content-disposition", SIP_HDR_CONTENT_DISPOSITION);
			break;
		case 'p':
			C("p-asserted-identity", SIP_HDR_P_ASSERTED_IDENTITY);
			C("proxy-authorization", SIP_HDR_PROXY_AUTHORIZATION);
			break;
		case 'r':
			C("request-disposition", SIP_HDR_REQUEST_DISPOSITION);
			break;
		}
		break;
	case 20:
		C("p-preferred-identity", SIP_HDR_P_PREFERRED_IDENTITY);
		break;
	}
	return SIP_HDR_OTHER;
}

#undef C

static const char *const method_names[] = {
	[SIP_METHOD_OTHER] = "",
	[SIP_METHOD_INVITE] = "INVITE",
	[SIP_METHOD_ACK] = "ACK",
	[SIP_METHOD_BYE] = "BYE",
	[SIP_METHOD_CANCEL] = "CANCEL",
	[SIP_METHOD_OPTIONS] = "OPTIONS",
	[SIP_METHOD_REGISTER] = "REGISTER",
	[SIP_METHOD_PRACK] = "PRACK",
	[SIP_METHOD_SUBSCRIBE] = "SUBSCRIBE",
	[SIP_METHOD_NOTIFY] = "NOTIFY",
	[SIP_METHOD_PUBLISH] = "PUBLISH",
	[SIP_METHOD_INFO] = "INFO",
	[SIP_METHOD_REFER] = "REFER",
	[SIP_METHOD_MESSAGE] = "MESSAGE",
	[SIP_METHOD_UPDATE] = "UPDATE",
};

const char *sip_method_str(enum sip_method m)
{
	return (unsigned)m <= SIP_METHOD_UPDATE ? method_names[m] : "";
}

#define M(s, id)                                                            \
	do {                                                                \
		if (!memcmp(v.p, s, v.l))                                   \
			return id;                                          \
	} while (0)

enum sip_method sip_method_lookup(struct strv v)
{
	switch (v.l) {
	case 3:
		M("ACK", SIP_METHOD_ACK);
		M("BYE", SIP_METHOD_BYE);
		break;
	case 4:
		M("INFO", SIP_METHOD_INFO);
		break;
	case 5:
		M("PRACK", SIP_METHOD_PRACK);
		M("REFER", SIP_METHOD_REFER);
		break;
	case 6:
		M("INVITE", SIP_METHOD_INVITE);
		M("CANCEL", SIP_METHOD_CANCEL);
		M("NOTIFY", SIP_METHOD_NOTIFY);
		M("UPDATE", SIP_METHOD_UPDATE);
		break;
	case 7:
		M("OPTIONS", SIP_METHOD_OPTIONS);
		M("PUBLISH", SIP_METHOD_PUBLISH);
		M("MESSAGE", SIP_METHOD_MESSAGE);
		break;
	case 8:
		M("REGISTER", SIP_METHOD_REGISTER);
		break;
	case 9:
		M("SUBSCRIBE", SIP_METHOD_SUBSCRIBE);
		break;
	}
	return SIP_METHOD_OTHER;
}

#undef M

int sip_unfold(struct strv v, char *dst, size_t n)
{
	size_t i = 0, o = 0;

	if (!n)
		return -ENOSPC;
	while (i < v.l) {
		char c = v.p[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			/* a whole run of LWS around a fold becomes one SP;
			 * plain SP/HTAB runs are kept as they are */
			size_t j = i;
			bool fold = false;

			while (j < v.l && (v.p[j] == ' ' || v.p[j] == '\t' ||
					   v.p[j] == '\r' || v.p[j] == '\n')) {
				fold |= v.p[j] == '\n';
				j++;
			}
			if (fold) {
				if (o + 1 >= n)
					goto nospc;
				dst[o++] = ' ';
				i = j;
				continue;
			}
		}
		if (o + 1 >= n)
			goto nospc;
		dst[o++] = c;
		i++;
	}
	dst[o] = '\0';
	return (int)o;
nospc:
	dst[o] = '\0';
	return -ENOSPC;
}

bool sip_param_next(struct strv *rest, struct strv *name, struct strv *val)
{
	struct sc s = sc_of(*rest);

	sc_lws(&s);
	sc_eat(&s, ';');
	sc_lws(&s);
	*name = sc_span(&s, SIP_C_TOKEN);
	if (!name->l)
		return false;
	*val = (struct strv){ s.p, 0 };
	{
		struct sc t = s;

		sc_lws(&t);
		if (sc_eat(&t, '=')) {
			const char *v0;

			sc_lws(&t);
			v0 = t.p;
			if (sc_peek(&t, '"')) {
				struct strv in;

				if (!sip_sc_quoted(&t, &in))
					return false;
			} else {
				sc_span(&t, SIP_C_GENV);
			}
			*val = sc_from(v0, &t);
			s = t;
		}
	}
	*rest = (struct strv){ s.p, (size_t)(s.e - s.p) };
	return true;
}

bool sip_param_get(struct strv params, const char *name, struct strv *val)
{
	struct strv n, v;

	while (sip_param_next(&params, &n, &v)) {
		if (strv_caseeq_str(n, name)) {
			if (val)
				*val = v;
			return true;
		}
	}
	return false;
}
