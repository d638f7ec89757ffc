/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to routing: the table's entries for "show routes"; the table
 * stays opaque to everyone else. */
#ifndef TL_CALL_ROUTE_PRIV_H
#define TL_CALL_ROUTE_PRIV_H

#include "route.h"

size_t call_route_ctl_n(const struct call_routes *rt);
/* Route @i (< call_route_ctl_n()) and its name in *@name. */
const struct call_route_conf *call_route_ctl_get(const struct call_routes *rt,
						 size_t i, const char **name);

#endif
