/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Causes. Inside the gateway every release carries an ITU-T Q.850 cause
 * value; the SIP edge maps it to and from a SIP status code with the
 * RFC 3398 tables (7.2.4.1 PSTN -> SIP, 8.2.6.1 SIP -> PSTN). A per-peer
 * override table is consulted before the RFC tables, and no mapping ever
 * answers a temporary failure with a 6xx (which would stop the caller
 * from trying any other destination).
 */
#ifndef TL_CALL_CAUSE_H
#define TL_CALL_CAUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The Q.850 values the call layer names in code. */
enum call_cause {
	CALL_CAUSE_UNALLOCATED = 1,
	CALL_CAUSE_NO_ROUTE_TRANSIT = 2,
	CALL_CAUSE_NO_ROUTE_DEST = 3,
	CALL_CAUSE_NORMAL_CLEARING = 16,
	CALL_CAUSE_USER_BUSY = 17,
	CALL_CAUSE_NO_USER_RESPONSE = 18,
	CALL_CAUSE_NO_ANSWER = 19,
	CALL_CAUSE_SUBSCRIBER_ABSENT = 20,
	CALL_CAUSE_CALL_REJECTED = 21,
	CALL_CAUSE_NUMBER_CHANGED = 22,
	CALL_CAUSE_REDIRECTED = 23,
	CALL_CAUSE_EXCHANGE_ROUTING_ERROR = 25,
	CALL_CAUSE_DEST_OUT_OF_ORDER = 27,
	CALL_CAUSE_INVALID_NUMBER_FORMAT = 28,
	CALL_CAUSE_NORMAL_UNSPECIFIED = 31,
	CALL_CAUSE_NO_CIRCUIT = 34,
	CALL_CAUSE_NETWORK_OUT_OF_ORDER = 38,
	CALL_CAUSE_TEMPORARY_FAILURE = 41,
	CALL_CAUSE_SWITCH_CONGESTION = 42,
	CALL_CAUSE_CHANNEL_UNAVAILABLE = 44,
	CALL_CAUSE_RESOURCE_UNAVAILABLE = 47,
	CALL_CAUSE_SERVICE_UNAVAILABLE = 63,
	CALL_CAUSE_BEARER_NOT_IMPLEMENTED = 65,
	CALL_CAUSE_SERVICE_NOT_IMPLEMENTED = 79,
	CALL_CAUSE_RECOVERY_ON_TIMER = 102,
	CALL_CAUSE_PROTOCOL_ERROR = 111,
	CALL_CAUSE_INTERWORKING = 127,
};

#define CALL_CAUSE_MAX 127

/* Q.850 location (4 bits of the cause IE). */
enum call_cause_loc {
	CALL_LOC_USER = 0,
	CALL_LOC_PRIVATE_LOCAL = 1,
	CALL_LOC_PUBLIC_LOCAL = 2,
	CALL_LOC_TRANSIT = 3,
	CALL_LOC_PUBLIC_REMOTE = 4,
	CALL_LOC_PRIVATE_REMOTE = 5,
	CALL_LOC_INTERNATIONAL = 7,
	CALL_LOC_BEYOND_INTERWORKING = 10,
};

/* What came with a PSTN release besides the cause value. */
struct call_cause_info {
	enum call_cause_loc loc;
	bool has_diag;	/* cause 22: the diagnostic holds the new number */
	bool allow_6xx; /* peer option: cause 21 from the user -> 603 */
};

/* Q.850 name of @cause ("User busy"); "Unknown cause" for unassigned
 * values. Never NULL. */
const char *call_cause_name(unsigned cause);

/* True for a cause that says "try again later" (no answer, subscriber
 * absent, destination out of order, resource unavailable 34..47, bearer
 * not presently available, timer expiry): it never becomes a 6xx. Busy
 * (17) is not: 600 Busy Everywhere is a legitimate answer to it. */
bool call_cause_is_temporary(unsigned cause);

/* The standard reason phrase of SIP status @status ("Busy Here"); for an
 * unknown code the phrase of its class. Never NULL. */
const char *call_status_phrase(int status);

/* --- per-peer overrides ------------------------------------------------ */

#define CALL_CAUSE_OVR_MAX 32

struct call_cause_ovr_ent {
	uint16_t status;
	uint8_t cause;
	bool to_sip; /* true: cause -> status; false: status -> cause */
};

struct call_cause_ovr {
	size_t n;
	struct call_cause_ovr_ent e[CALL_CAUSE_OVR_MAX];
};

/*
 * Parse an override list into @o (emptied first): entries separated by
 * commas, each "STATUS = CAUSE" (a SIP final response received -> the
 * cause sent to the PSTN) or "cause CAUSE = STATUS" (a PSTN cause -> the
 * SIP response sent); "status STATUS = CAUSE" is the explicit form of the
 * first. Example: "486=17, 480=18, cause 34 = 480". A later entry for the
 * same key replaces an earlier one. A 6xx for a temporary cause is
 * refused. 0, or -EINVAL with the reason in @why.
 */
int call_cause_ovr_parse(struct call_cause_ovr *o, const char *s, char *why,
			 size_t whylen);

/* A conf_check_h for a CONF_STR key holding an override list. */
int call_cause_ovr_check(const void *field, char *why, size_t whylen);

/* --- RFC 3398 mappings ------------------------------------------------- */

/*
 * PSTN -> SIP (RFC 3398 7.2.4.1): the final response for a release with
 * @cause received before the SIP side got a final response. @ovr (may be
 * NULL) is consulted first; @info may be NULL (network location, no
 * diagnostic, no 6xx). Returns the status, 0 when the cause is not turned
 * into a response (16: the call ends with BYE/CANCEL; 44: retry the call
 * on another circuit), or -EINVAL for a cause outside 1..127. Unlisted
 * causes give 500. A temporary cause never gives a 6xx.
 */
int call_cause_to_sip(const struct call_cause_ovr *ovr, unsigned cause,
		      const struct call_cause_info *info);

/*
 * SIP -> PSTN (RFC 3398 8.2.6.1): the cause for a final response @status
 * (400..699) received on an INVITE. @ovr (may be NULL) is consulted
 * first. @warn_bearer: a 488/606 carried a Warning about an unavailable
 * bearer capability (-> 65, else 31). Returns the cause, 0 for 487 (the
 * gateway cancelled the INVITE itself: its own release cause stands), or
 * -EINVAL for a status outside 400..699. Unlisted statuses give 31.
 */
int call_cause_from_sip(const struct call_cause_ovr *ovr, int status,
			bool warn_bearer);

/* Location for the cause sent after SIP final response @status: 'user'
 * for 6xx, else 'public network serving the remote user' (8.2.6.1). */
enum call_cause_loc call_cause_loc_from_sip(int status);

/*
 * Retry-After advice (RFC 3398 7.2.4.1, RFC 3261 21.5.4): seconds to put
 * in a Retry-After header of a response @status sent for @cause, or 0 for
 * none. Only a 503 for a resource-unavailable cause (34..47, 58) carries
 * one; @secs is the configured value (0 disables the header).
 */
unsigned call_cause_retry_after(unsigned cause, int status, unsigned secs);

#endif
