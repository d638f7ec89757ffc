// SPDX-License-Identifier: GPL-2.0
/* Q.850 names, SIP reason phrases and the RFC 3398 mapping tables. */
#include <errno.h>
#include <stddef.h>

#include "cause.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Indexed by value; a hole is an unassigned cause. */
static const char *const cause_names[CALL_CAUSE_MAX + 1] = {
    [1] = "Unallocated (unassigned) number",
    [2] = "No route to specified transit network",
    [3] = "No route to destination",
    [4] = "Send special information tone",
    [5] = "Misdialled trunk prefix",
    [6] = "Channel unacceptable",
    [7] = "Call awarded and being delivered in an established channel",
    [8] = "Preemption",
    [9] = "Preemption - circuit reserved for reuse",
    [14] = "QoR: ported number",
    [16] = "Normal call clearing",
    [17] = "User busy",
    [18] = "No user responding",
    [19] = "No answer from user (user alerted)",
    [20] = "Subscriber absent",
    [21] = "Call rejected",
    [22] = "Number changed",
    [23] = "Redirection to new destination",
    [25] = "Exchange routing error",
    [26] = "Non-selected user clearing",
    [27] = "Destination out of order",
    [28] = "Invalid number format (address incomplete)",
    [29] = "Facility rejected",
    [30] = "Response to STATUS ENQUIRY",
    [31] = "Normal, unspecified",
    [34] = "No circuit/channel available",
    [38] = "Network out of order",
    [39] = "Permanent frame mode connection out of service",
    [40] = "Permanent frame mode connection operational",
    [41] = "Temporary failure",
    [42] = "Switching equipment congestion",
    [43] = "Access information discarded",
    [44] = "Requested circuit/channel not available",
    [46] = "Precedence call blocked",
    [47] = "Resource unavailable, unspecified",
    [49] = "Quality of service not available",
    [50] = "Requested facility not subscribed",
    [53] = "Outgoing calls barred within CUG",
    [55] = "Incoming calls barred within CUG",
    [57] = "Bearer capability not authorized",
    [58] = "Bearer capability not presently available",
    [62] = "Inconsistency in designated outgoing access information "
	   "and subscriber class",
    [63] = "Service or option not available, unspecified",
    [65] = "Bearer capability not implemented",
    [66] = "Channel type not implemented",
    [69] = "Requested facility not implemented",
    [70] = "Only restricted digital information bearer capability is "
	   "available",
    [79] = "Service or option not implemented, unspecified",
    [81] = "Invalid call reference value",
    [82] = "Identified channel does not exist",
    [83] = "A suspended call exists, but this call identity does not",
    [84] = "Call identity in use",
    [85] = "No call suspended",
    [86] = "Call having the requested call identity has been cleared",
    [87] = "User not member of CUG",
    [88] = "Incompatible destination",
    [90] = "Non-existent CUG",
    [91] = "Invalid transit network selection",
    [95] = "Invalid message, unspecified",
    [96] = "Mandatory information element is missing",
    [97] = "Message type non-existent or not implemented",
    [98] = "Message not compatible with call state or message type "
	   "non-existent or not implemented",
    [99] = "Information element/parameter non-existent or not "
	   "implemented",
    [100] = "Invalid information element contents",
    [101] = "Message not compatible with call state",
    [102] = "Recovery on timer expiry",
    [103] = "Parameter non-existent or not implemented, passed on",
    [110] = "Message with unrecognized parameter, discarded",
    [111] = "Protocol error, unspecified",
    [127] = "Interworking, unspecified",
};

const char *call_cause_name(unsigned cause)
{
	if (cause > CALL_CAUSE_MAX || !cause_names[cause])
		return "Unknown cause";
	return cause_names[cause];
}

bool call_cause_is_temporary(unsigned cause)
{
	switch (cause) {
	case 18:
	case 19:
	case 20:
	case 27:
	case 58:
	case 102:
		return true;
	default:
		/* Q.850 class 010, "resource unavailable" */
		return cause >= 34 && cause <= 47;
	}
}

struct phrase {
	int status;
	const char *s;
};

static const struct phrase phrases[] = {
    {100, "Trying"},
    {180, "Ringing"},
    {181, "Call Is Being Forwarded"},
    {182, "Queued"},
    {183, "Session Progress"},
    {199, "Early Dialog Terminated"},
    {200, "OK"},
    {202, "Accepted"},
    {204, "No Notification"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Moved Temporarily"},
    {305, "Use Proxy"},
    {380, "Alternative Service"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {410, "Gone"},
    {412, "Conditional Request Failed"},
    {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Unsupported URI Scheme"},
    {417, "Unknown Resource-Priority"},
    {420, "Bad Extension"},
    {421, "Extension Required"},
    {422, "Session Interval Too Small"},
    {423, "Interval Too Brief"},
    {428, "Use Identity Header"},
    {429, "Provide Referrer Identity"},
    {433, "Anonymity Disallowed"},
    {436, "Bad Identity-Info"},
    {437, "Unsupported Certificate"},
    {438, "Invalid Identity Header"},
    {480, "Temporarily Unavailable"},
    {481, "Call/Transaction Does Not Exist"},
    {482, "Loop Detected"},
    {483, "Too Many Hops"},
    {484, "Address Incomplete"},
    {485, "Ambiguous"},
    {486, "Busy Here"},
    {487, "Request Terminated"},
    {488, "Not Acceptable Here"},
    {489, "Bad Event"},
    {491, "Request Pending"},
    {493, "Undecipherable"},
    {494, "Security Agreement Required"},
    {500, "Server Internal Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Server Time-out"},
    {505, "Version Not Supported"},
    {513, "Message Too Large"},
    {580, "Precondition Failure"},
    {600, "Busy Everywhere"},
    {603, "Decline"},
    {604, "Does Not Exist Anywhere"},
    {606, "Not Acceptable"},
};

const char *call_status_phrase(int status)
{
	static const char *const cls[] = {"Provisional",  "Success",
					  "Redirection",  "Client Error",
					  "Server Error", "Global Failure"};

	for (size_t i = 0; i < ARRAY_LEN(phrases); i++)
		if (phrases[i].status == status)
			return phrases[i].s;
	if (status < 100 || status > 699)
		return "Unknown";
	return cls[status / 100 - 1];
}

struct map {
	uint16_t from, to;
};

/* RFC 3398 7.2.4.1. Cause 16 and 44 give no response and 22 depends on
 * the diagnostic: those three are handled in code. */
static const struct map q850_to_sip[] = {
    {1, 404},  {2, 404},  {3, 404},  {17, 486},	 {18, 408},  {19, 480},
    {20, 480}, {21, 403}, {23, 410}, {26, 404},	 {27, 502},  {28, 484},
    {29, 501}, {31, 480}, {34, 503}, {38, 503},	 {41, 503},  {42, 503},
    {47, 503}, {55, 403}, {57, 403}, {58, 503},	 {65, 488},  {70, 488},
    {79, 501}, {87, 403}, {88, 503}, {102, 504}, {111, 500}, {127, 500},
};

/* RFC 3398 8.2.6.1; 487, 488 and 606 are handled in code. */
static const struct map sip_to_q850[] = {
    {400, 41},	{401, 21},  {402, 21},	{403, 21},  {404, 1},	{405, 63},
    {406, 79},	{407, 21},  {408, 102}, {410, 22},  {413, 127}, {414, 127},
    {415, 79},	{416, 127}, {420, 127}, {421, 127}, {423, 127}, {480, 18},
    {481, 41},	{482, 25},  {483, 25},	{484, 28},  {485, 1},	{486, 17},
    {500, 41},	{501, 79},  {502, 38},	{503, 41},  {504, 102}, {505, 127},
    {513, 127}, {600, 17},  {603, 21},	{604, 1},
};

static int map_find(const struct map *m, size_t n, unsigned from)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].from == from)
			return m[i].to;
	return -ENOENT;
}

static int ovr_find(const struct call_cause_ovr *o, bool to_sip, unsigned key)
{
	if (!o)
		return -ENOENT;
	for (size_t i = 0; i < o->n; i++) {
		const struct call_cause_ovr_ent *e = &o->e[i];

		if (e->to_sip != to_sip)
			continue;
		if (to_sip && e->cause == key)
			return e->status;
		if (!to_sip && e->status == key)
			return e->cause;
	}
	return -ENOENT;
}

/* The 4xx/5xx a 6xx stands for when the cause is only temporary: a 6xx
 * would make the caller's side give up on every other destination. */
static int no_6xx(int status)
{
	switch (status) {
	case 600:
		return 486;
	case 604:
		return 404;
	case 606:
		return 488;
	default:
		return 480;
	}
}

int call_cause_to_sip(const struct call_cause_ovr *ovr, unsigned cause,
		      const struct call_cause_info *info)
{
	int st;

	if (cause < 1 || cause > CALL_CAUSE_MAX)
		return -EINVAL;
	st = ovr_find(ovr, true, cause);
	if (st < 0) {
		switch (cause) {
		case CALL_CAUSE_NORMAL_CLEARING:
		case CALL_CAUSE_CHANNEL_UNAVAILABLE:
			return 0;
		case CALL_CAUSE_NUMBER_CHANGED:
			st = info && info->has_diag ? 301 : 410;
			break;
		case CALL_CAUSE_CALL_REJECTED:
			st = info && info->allow_6xx &&
				     info->loc == CALL_LOC_USER
				 ? 603
				 : 403;
			break;
		default:
			st = map_find(q850_to_sip, ARRAY_LEN(q850_to_sip),
				      cause);
			if (st < 0)
				st = 500;
		}
	}
	if (st >= 600 && call_cause_is_temporary(cause))
		st = no_6xx(st);
	return st;
}

int call_cause_from_sip(const struct call_cause_ovr *ovr, int status,
			bool warn_bearer)
{
	int c;

	if (status < 400 || status > 699)
		return -EINVAL;
	c = ovr_find(ovr, false, (unsigned)status);
	if (c >= 0)
		return c;
	switch (status) {
	case 487:
		return 0;
	case 488:
	case 606:
		return warn_bearer ? CALL_CAUSE_BEARER_NOT_IMPLEMENTED
				   : CALL_CAUSE_NORMAL_UNSPECIFIED;
	}
	c = map_find(sip_to_q850, ARRAY_LEN(sip_to_q850), (unsigned)status);
	return c < 0 ? CALL_CAUSE_NORMAL_UNSPECIFIED : c;
}

enum call_cause_loc call_cause_loc_from_sip(int status)
{
	return status >= 600 ? CALL_LOC_USER : CALL_LOC_PUBLIC_REMOTE;
}

unsigned call_cause_retry_after(unsigned cause, int status, unsigned secs)
{
	if (status != 503)
		return 0;
	if ((cause >= 34 && cause <= 47) || cause == 58)
		return secs;
	return 0;
}
