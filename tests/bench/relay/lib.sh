# shellcheck shell=bash
# relay/lib.sh - topology, engines and one measured run of the relay
# benchmark (sourced by tests/bench/bench_relay_netns.sh after
# tests/netns/lib.sh, whose namespace helpers and cleanup trap it uses).
#
#   netns snd 198.18.1.2 --veth-- 198.18.1.1 relay 198.18.2.1 --veth-- 198.18.2.2 rcv
#     rgen (CPU0)                  engine under test (CPU1)              rsink (CPU0)
#
# Stream i: rgen sends from 198.18.1.2:20000+i; the engine receives on
# 198.18.1.1:30000+i (rtpengine: a port it chose), sends from
# 198.18.2.1:32000+i (rtpengine: its own) to 198.18.2.2:40000+i, where
# rsink counts it per stream.
#
# Where the relay's CPU time is read: this machine is shared, CPU1 is
# rarely idle, so the method's "CPU1 busy from /proc/stat" would count
# other people's compilers. Instead everything the relay does runs in
# tasks whose run time the kernel keeps to the nanosecond
# (/proc/PID/task/TID/schedstat): the engine's own threads, and the
# receive path of the relay's ingress veth, made a threaded NAPI (GRO on;
# the sender's veth has TSO off so its frames take that path) pinned to
# CPU1. Plain forwarding and XDP then run entirely in that thread. The
# sink's veth is threaded too, pinned to CPU0, so delivery is not
# charged to the relay. RPS is set as the method says (relay ingress
# CPU1, sink ingress CPU0). The /proc/stat figure is kept as busy1 in the
# raw rows for a quiet machine.

RB_DIR="$NETNS_REPO/tests/bench/relay"
RB_BIN="$NETNS_REPO/build/bench/relay"
RB_SND=198.18.1.2 RB_RA=198.18.1.1 RB_RB=198.18.2.1 RB_RCV=198.18.2.2
RB_SP0=20000 RB_AP0=30000 RB_BP0=32000 RB_RP0=40000
RB_NG=127.0.0.1:2223
RB_NICE=(nice -n -20)
RB_TOPO=0

# rb_build: the helpers, into build/bench/relay (the Makefile does not
# know them: they are not bench_*.c). tl_drv links the gateway library.
rb_build() {
	local w t pk
	w="-std=c11 -D_GNU_SOURCE -g -O2 -Wall -Wextra -Werror -Wshadow
	   -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wvla
	   -Wundef -Wformat=2 -Wno-format-nonliteral -Wcast-align
	   -Wwrite-strings -Wimplicit-fallthrough"
	pk="libsrtp2 spandsp openssl sqlite3 libbpf libelf zlib liburing"
	mkdir -p "$RB_BIN"
	for t in rgen rsink plain_relay vethcfg; do
		# shellcheck disable=SC2086
		${CC:-cc} $w -o "$RB_BIN/$t.tmp.$$" "$RB_DIR/$t.c" || return 1
		mv -f "$RB_BIN/$t.tmp.$$" "$RB_BIN/$t"
	done
	"$NETNS_REPO/scripts/build-bpf.sh" "$NETNS_REPO/build/ebpf" >/dev/null ||
		return 1
	# shellcheck disable=SC2086,SC2046
	${CC:-cc} $w -I"$NETNS_REPO/build/ebpf" $(pkg-config --cflags $pk) \
		-o "$RB_BIN/tl_drv.tmp.$$" "$RB_DIR/tl_drv.c" \
		"$NETNS_REPO/build/libtrunkline.a" $(pkg-config --libs $pk) -lm ||
		return 1
	mv -f "$RB_BIN/tl_drv.tmp.$$" "$RB_BIN/tl_drv"
	# shellcheck disable=SC2086,SC2046
	${CC:-cc} $w -I"$NETNS_REPO/build/ebpf" -o "$RB_BIN/xwire.tmp.$$" \
		"$RB_DIR/xwire.c" $(pkg-config --cflags --libs libbpf) ||
		return 1
	mv -f "$RB_BIN/xwire.tmp.$$" "$RB_BIN/xwire"
}

# rb_napi_threads: PIDs of the threaded-NAPI kernel threads now running
rb_napi_threads() {
	grep -l '^napi/' /proc/[0-9]*/comm 2>/dev/null |
		sed 's#/proc/\([0-9]*\)/comm#\1#' | sort -n
}

# rb_threaded ROLE IFNAME CPU: make IFNAME's NAPI a kernel thread pinned
# to CPU at SCHED_FIFO 1; its PID in RB_NAPI_PID
rb_threaded() {
	local before after pid
	before=$(rb_napi_threads)
	nsx "$1" sh -c "echo 1 >/sys/class/net/$2/threaded" ||
		fail "cannot make $2 threaded NAPI"
	after=$(rb_napi_threads)
	RB_NAPI_PID=
	for pid in $(comm -13 <(echo "$before") <(echo "$after")); do
		[[ $(cat "/proc/$pid/comm") == "napi/${2:0:10}"* ]] || continue
		RB_NAPI_PID=$pid
	done
	[ -n "$RB_NAPI_PID" ] || fail "no NAPI thread for $2"
	# SCHED_FIFO: the receive path keeps the precedence it has as a
	# softirq over every task, other people's compilers included
	taskset -pc "$3" "$RB_NAPI_PID" >/dev/null &&
		chrt -f -p 1 "$RB_NAPI_PID" ||
		fail "cannot pin the NAPI thread of $2"
}

# rb_rps ROLE IFNAME MASK
rb_rps() {
	nsx "$1" sh -c "echo $3 >/sys/class/net/$2/queues/rx-0/rps_cpus" ||
		fail "cannot set RPS on $2"
}

# rb_topo FORWARD: a fresh topology (FORWARD 1: the relay namespace
# routes, as plain forwarding and XDP's fib lookup need). Sets IF_RA
# (relay ingress), IF_RB (relay egress), IF_S (sender), IF_R (sink),
# RB_NAPI (the relay ingress NAPI thread) and RB_PN/IF_P (the namespace
# and name of IF_RA's peer veth).
rb_topo() {
	local m
	RB_TOPO=$((RB_TOPO + 1))
	RB_S=snd$RB_TOPO RB_R=rly$RB_TOPO RB_C=rcv$RB_TOPO
	netns_add "$RB_S"
	netns_add "$RB_R"
	netns_add "$RB_C"
	nsx "$RB_R" sysctl -qw net.ipv4.ip_forward="$1"
	if [ "${RB_WIRE:-0}" = 1 ]; then
		rb_wire
	else
		netns_link 1 "$RB_R" "$RB_S"
		IF_RA=$(netns_ifname 1 a) IF_S=$(netns_ifname 1 b)
		RB_PN=$RB_S IF_P=$IF_S
	fi
	netns_link 2 "$RB_R" "$RB_C"
	IF_RB=$(netns_ifname 2 a) IF_R=$(netns_ifname 2 b)
	nsx "$RB_S" ip route add default via $RB_RA
	nsx "$RB_C" ip route add default via $RB_RB
	# static neighbours: no ARP inside a measured window
	m=$(nsx "$RB_S" cat "/sys/class/net/$IF_S/address")
	nsx "$RB_R" ip neigh replace $RB_SND lladdr "$m" dev "$IF_RA" nud permanent
	m=$(nsx "$RB_C" cat "/sys/class/net/$IF_R/address")
	nsx "$RB_R" ip neigh replace $RB_RCV lladdr "$m" dev "$IF_RB" nud permanent
	m=$(nsx "$RB_R" cat "/sys/class/net/$IF_RA/address")
	nsx "$RB_S" ip neigh replace $RB_RA lladdr "$m" dev "$IF_S" nud permanent
	# the sink's IP stack has no sockets there: no port-unreachables
	nsx "$RB_C" sysctl -qw net.ipv4.icmp_msgs_per_sec=0 \
		net.ipv4.icmp_msgs_burst=0 2>/dev/null || true
	# the sink veth must run XDP for XDP_REDIRECT to reach it: in every
	# engine, so that the sink side is the same for all
	nsx "$RB_C" ip link set dev "$IF_R" xdp obj \
		"$NETNS_REPO/build/ebpf/tl_xdp_pass.bpf.o" sec xdp ||
		fail "cannot attach tl_xdp_pass to $IF_R"
	# (frame delivery: the wire's XDP program already took the
	# sender veth's TSO away, and the kernel then refuses to set it)
	[ "${RB_WIRE:-0}" = 1 ] ||
		nsx "$RB_S" "$RB_BIN/vethcfg" "$IF_S" tso off || fail "vethcfg"
	nsx "$RB_R" "$RB_BIN/vethcfg" "$IF_RA" gro on || fail "vethcfg"
	nsx "$RB_C" "$RB_BIN/vethcfg" "$IF_R" gro on || fail "vethcfg"
	rb_threaded "$RB_R" "$IF_RA" 1
	RB_NAPI=$RB_NAPI_PID
	rb_threaded "$RB_C" "$IF_R" 0
	rb_rps "$RB_R" "$IF_RA" 2
	rb_rps "$RB_C" "$IF_R" 1
}

# rb_wire: frame delivery (RB_WIRE=1). The sender reaches the relay
# through a namespace whose XDP program (ebpf/tl_xdp_wire.bpf.c) passes
# every frame on by XDP_REDIRECT:
#
#   snd 198.18.1.2 --veth 3-- wir (XDP wire) --veth 1-- 198.18.1.1 relay
#
# so the relay's ingress veth receives XDP frames, as from a NIC's
# receive ring, not the sender's socket buffers (which a veth copies into
# a new page before its XDP program runs, and which the other engines get
# ready-made from the sender's CPU). The wire's work, the copy included,
# runs in its softirq on the sender's CPU (CPU0). Sets IF_RA and IF_S.
rb_wire() {
	local wa wb
	RB_W=wir$RB_TOPO
	netns_add "$RB_W"
	netns_link 1 "$RB_R" "$RB_W"
	netns_link 3 "$RB_S" "$RB_W"
	IF_RA=$(netns_ifname 1 a) wa=$(netns_ifname 1 b)
	IF_S=$(netns_ifname 3 a) wb=$(netns_ifname 3 b)
	RB_PN=$RB_W IF_P=$wa
	nsx "$RB_W" ip addr flush dev "$wa"
	nsx "$RB_W" ip addr flush dev "$wb"
	nsx "$RB_S" ip addr flush dev "$IF_S"
	nsx "$RB_S" ip addr add $RB_SND/24 dev "$IF_S"
	nsx "$RB_W" "$RB_BIN/xwire" "$wb" "$wa" || fail "xwire $wb -> $wa"
}

# rb_untopo: delete the current topology's namespaces
rb_untopo() {
	local ns
	for ns in "$RB_S" "$RB_R" "$RB_C" ${RB_W:+"$RB_W"}; do
		ip netns del "$(netns_name "$ns")" 2>/dev/null || true
	done
}

# rb_wait_line FILE PATTERN SECONDS: wait until FILE has a line matching
rb_wait_line() {
	local i
	for ((i = 0; i < $3 * 50; i++)); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.02
	done
	return 1
}

# rb_start ENGINE K: start the engine (fresh) in the relay namespace,
# pinned to CPU1. Sets RB_PID (0: no process), RB_DST (sender's
# destination address) and RB_DPORTS (base port or ports file).
rb_start() {
	local e=$1 k=$2 out=$RB_TMP/engine.log
	RB_PID=0 RB_DST=$RB_RA RB_DPORTS=$RB_AP0
	: >"$out"
	case $e in
	xdp | tl | tlu | tluc)
		# tlu: our relay on its io_uring I/O path, uncoalesced; tluc:
		# the same with wake-ups coalesced (relay_coalesce_us =
		# RB_COALESCE_US, default 1000 as the daemon's default)
		netns_bg "$RB_R" "$out" taskset -c 1 "${RB_NICE[@]}" \
			env TL_COALESCE_US="$([ "$e" = tluc ] &&
				echo "${RB_COALESCE_US:-1000}" || echo 0)" \
			"$RB_BIN/tl_drv" "$(case $e in xdp) echo xdp ;;
				tlu | tluc) echo relay-uring ;;
				*) echo relay ;; esac)" \
			"$k" $RB_RA $RB_AP0 $RB_RB $RB_BP0 $RB_SND $RB_SP0 \
			$RB_RCV $RB_RP0 "$IF_RA" "$IF_RB"
		RB_PID=$NETNS_LAST_PID
		rb_wait_line "$out" '^ok engine' 20 ||
			fail "tl_drv $e did not start: $(tail -3 "$out")"
		;;
	plain)
		netns_bg "$RB_R" "$out" taskset -c 1 "${RB_NICE[@]}" \
			"$RB_BIN/plain_relay" $RB_RA $RB_AP0 $RB_RB $RB_BP0 \
			$RB_RCV $RB_RP0 "$k"
		RB_PID=$NETNS_LAST_PID
		rb_wait_line "$out" '^ready' 20 || fail "plain_relay did not start"
		;;
	rtpengine)
		# the method's command line (docs/bench.md)
		netns_bg "$RB_R" "$out" taskset -c 1 "${RB_NICE[@]}" \
			rtpengine --config-file=none --table=-1 \
			--interface=$RB_RA --listen-ng=$RB_NG --foreground \
			--log-stderr --endpoint-learning=immediate \
			--port-min=30000 --port-max=39999 --num-threads=1 \
			--media-num-threads=1
		RB_PID=$NETNS_LAST_PID
		local i
		for ((i = 0; i < 100; i++)); do
			nsx "$RB_R" python3 "$RB_DIR/ng.py" $RB_NG ping \
				2>/dev/null && break
			sleep 0.1
		done
		RB_DPORTS=$RB_TMP/rtpengine.ports
		nsx "$RB_R" python3 "$RB_DIR/ng.py" $RB_NG calls "$k" \
			$RB_SND $RB_SP0 $RB_RCV $RB_RP0 "$RB_DPORTS" ||
			fail "rtpengine: ng calls failed: $(tail -3 "$out")"
		;;
	fwd)
		RB_DST=$RB_RCV RB_DPORTS=$RB_RP0
		;;
	esac
}

# rb_stop: end the engine started by rb_start
rb_stop() {
	[ "$RB_PID" != 0 ] || return 0
	kill "$RB_PID" 2>/dev/null
	wait "$RB_PID" 2>/dev/null
	RB_PID=0
}

# rb_cpu_ns: run time (ns) so far of the relay's ingress NAPI thread and
# of every thread of the engine's process
rb_cpu_ns() {
	local f=("/proc/$RB_NAPI/schedstat")
	[ "$RB_PID" != 0 ] && f+=(/proc/"$RB_PID"/task/*/schedstat)
	cat "${f[@]}" 2>/dev/null | awk '{s += $1} END {printf "%.0f", s}'
}

# rb_idle1: CPU1 idle+iowait from /proc/stat, in USER_HZ ticks
rb_idle1() { awk '/^cpu1 / {print $5 + $6}' /proc/stat; }

now_ns() { date +%s%N; }

# rb_drops: "RING SOCK" so far. RING: packets dropped before the relay
# namespace's stack: its ingress veth's NAPI ring or CPU1's backlog (RPS)
# was full, counted on the sending veth's tx or the receiving one's rx
# side, by kernel version: the larger. The receive path on CPU1 did not
# keep up (the host stole CPU1, or softirq work deferred to ksoftirqd
# lost the CPU). SOCK: UDP receive buffer overflows in the relay
# namespace, an engine reading its sockets too slowly.
rb_drops() {
	local tx rx sock
	tx=$(nsx "$RB_PN" cat "/sys/class/net/$IF_P/statistics/tx_dropped")
	rx=$(nsx "$RB_R" cat "/sys/class/net/$IF_RA/statistics/rx_dropped")
	sock=$(nsx "$RB_R" awk '/^Udp:/ {n++; if (n == 1)
		for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i
		if (n == 2) print $c}' /proc/net/snmp)
	echo $((tx > rx ? tx : rx)) "${sock:-0}"
}

# rb_run K RATE SECS: one measured run. Prints the raw row
#   sent got loss_pct pps_delivered ns_per_pkt busy1_pct min max zero
#   ring_drops sock_drops delay_p50_us delay_p99_us
rb_run() {
	local k=$1 rate=$2 secs=$3 expect sout=$RB_TMP/sink.out gout
	local c0 c1 i0 i1 t0 t1 sent got mn mx zero r0 k0 r1 k1 d50 d99
	expect=$((rate * secs / k * k))
	netns_bg "$RB_C" "$sout" taskset -c 0 "${RB_NICE[@]}" \
		"$RB_BIN/rsink" "$IF_R" $RB_RP0 "$k" "$expect" \
		$(((secs + 4) * 1000)) 500
	local spid=$NETNS_LAST_PID
	rb_wait_line "$sout" '^ready' 5 || fail "rsink did not start"
	read -r r0 k0 < <(rb_drops)
	c0=$(rb_cpu_ns) i0=$(rb_idle1) t0=$(now_ns)
	gout=$(nsx "$RB_S" taskset -c 0 "${RB_NICE[@]}" "$RB_BIN/rgen" \
		$RB_SND $RB_SP0 "$RB_DST" "$RB_DPORTS" "$k" "$rate" "$secs") ||
		fail "rgen failed: $gout"
	sleep 0.3
	c1=$(rb_cpu_ns) i1=$(rb_idle1) t1=$(now_ns)
	read -r r1 k1 < <(rb_drops)
	wait "$spid"
	sent=$(sed -n 's/^sent=\([0-9]*\).*/\1/p' <<<"$gout")
	read -r got mn mx zero d50 d99 < <(sed -n \
		's/^got=\([0-9]*\) min=\([0-9]*\) max=\([0-9]*\) zero=\([0-9]*\) lat50=\([0-9]*\) lat99=\([0-9]*\).*/\1 \2 \3 \4 \5 \6/p' \
		"$sout")
	[ -n "$sent" ] && [ -n "$got" ] || fail "no result: $gout / $(cat "$sout")"
	awk -v s="$sent" -v g="$got" -v secs="$secs" -v c=$((c1 - c0)) \
		-v w=$((t1 - t0)) -v di=$((i1 - i0)) -v mn="$mn" -v mx="$mx" \
		-v z="$zero" -v dr=$((r1 - r0)) -v dk=$((k1 - k0)) \
		-v d50="$d50" -v d99="$d99" 'BEGIN {
		busy = 100 - di * 1e9 / w; if (busy < 0) busy = 0
		printf "%d %d %.3f %.0f %.0f %.1f %d %d %d %d %d %d %d\n", s, g,
			100 * (s - g) / s, g / secs, g ? c / g : 0, busy,
			mn, mx, z, dr, dk, d50, d99 }'
}
