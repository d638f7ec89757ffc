// SPDX-License-Identifier: GPL-2.0
/* Channel hunting in a TDM group: the choice alone; the group keeps the
 * busy flags and release times. */
#include <errno.h>

#include "route.h"

const char *call_hunt_name(enum call_hunt h)
{
	static const char *const names[] = {"ascending", "descending",
					    "round-robin", "lru"};

	return (unsigned)h < 4 ? names[h] : "unknown";
}

int call_hunt_pick(enum call_hunt h, size_t n, const bool *busy,
		   unsigned *rr_last, const uint64_t *last_used)
{
	int best = -EBUSY;

	switch (h) {
	case CALL_HUNT_DESC:
		for (size_t i = n; i-- > 0;)
			if (!busy[i])
				return (int)i;
		return -EBUSY;
	case CALL_HUNT_RR:
		/* start after the last pick, so every channel gets its turn */
		for (size_t k = 1; k <= n; k++) {
			size_t i = (*rr_last + k) % n;

			if (!busy[i]) {
				*rr_last = (unsigned)i;
				return (int)i;
			}
		}
		return -EBUSY;
	case CALL_HUNT_LRU:
		if (last_used) {
			for (size_t i = 0; i < n; i++)
				if (!busy[i] &&
				    (best < 0 ||
				     last_used[i] < last_used[best]))
					best = (int)i;
			return best;
		}
		/* no history: as ascending */
		/* fall through */
	case CALL_HUNT_ASC:
	default:
		for (size_t i = 0; i < n; i++)
			if (!busy[i])
				return (int)i;
		return -EBUSY;
	}
}
