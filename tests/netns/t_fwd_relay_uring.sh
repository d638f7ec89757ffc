#!/bin/bash
# t_fwd_relay_uring: t_fwd_relay (the forwarding case table against the
# userspace relay) with the relay on its io_uring I/O path: the same
# cases, the same expectations.
export FWD_RELAY_IO=uring
exec bash "$(dirname "$0")/t_fwd_relay.sh"
