# shellcheck shell=bash
# lib.sh - helpers for the netns test tier: namespaces, veth links,
# addresses, background processes, and cleanup on exit.
#
# A test sources this file, calls netns_init (which installs the cleanup
# trap), builds a topology and runs its checks; anything it creates is
# gone when it exits, whatever the reason.
#
# Names carry the test's PID so concurrent runs never collide:
#   namespace   tl-<pid>-<role>          e.g. tl-4242-a, tl-4242-gw
#   interface   t<pid>n<net><side>       e.g. t4242n1a (15 chars at most)
# netns_reap_stale treats any tl-<pid>-* namespace whose PID is gone as
# left over by a killed run: keep that prefix for this library's use.
# Addresses (RFC 2544 benchmarking space and ULA only):
#   link NET, side a: 198.18.NET.1/24  fd00:0:0:NET::1/64
#   link NET, side b: 198.18.NET.2/24  fd00:0:0:NET::2/64

NETNS_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NETNS_ID=$$
NETNS_PREFIX="tl-$NETNS_ID-"
UDPX=${UDPX:-$NETNS_REPO/build/tools/udpx}

NETNS_CREATED=()	# namespaces this run made, deleted in reverse
NETNS_PIDS=()		# background processes this run started
NETNS_LAST_PID=

log() { printf '%s %s\n' "$(date +%T.%3N)" "$*"; }

# fail REASON: end the test; the runner shows REASON on its FAIL line
fail() {
	printf 'FAIL-REASON: %s\n' "$*"
	exit 1
}

netns_name() { printf '%s%s' "$NETNS_PREFIX" "$1"; }
netns_ifname() { printf 't%sn%s%s' "$NETNS_ID" "$1" "$2"; }
netns_ip4() { printf '198.18.%d.%d' "$1" "$([ "$2" = a ] && echo 1 || echo 2)"; }
netns_ip6() { printf 'fd00:0:0:%d::%d' "$1" "$([ "$2" = a ] && echo 1 || echo 2)"; }

# nsx ROLE CMD...: run CMD inside the namespace of ROLE
nsx() {
	local ns
	ns=$(netns_name "$1")
	shift
	ip netns exec "$ns" "$@"
}

# netns_check: print why this machine cannot run the tier, or nothing.
# Probes for real: a namespace and a veth pair inside it.
netns_check() {
	local probe="${NETNS_PREFIX}probe" why=
	if [ "$(id -u)" != 0 ]; then
		echo "not root"
		return
	fi
	if ! command -v ip >/dev/null || ! ip netns list >/dev/null 2>&1; then
		echo "no 'ip netns' (iproute2)"
		return
	fi
	if ! ip netns add "$probe" 2>/dev/null; then
		echo "cannot create a network namespace"
		return
	fi
	if ! ip -n "$probe" link add p0 type veth peer name p1 2>/dev/null; then
		why="cannot create a veth pair"
	fi
	ip netns del "$probe" 2>/dev/null || true
	[ -z "$why" ] || echo "$why"
}

# netns_cleanup: kill what this run started, delete its namespaces
# (their veths go with them). The EXIT trap; keeps the exit status.
netns_cleanup() {
	local rc=$? pid ns i
	trap - EXIT
	for pid in "${NETNS_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for ((i = ${#NETNS_CREATED[@]} - 1; i >= 0; i--)); do
		ns=${NETNS_CREATED[i]}
		# anything still running inside was started by this test
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill "$pid" 2>/dev/null || true
		done
		ip netns del "$ns" 2>/dev/null || true
	done
	for pid in "${NETNS_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	exit "$rc"
}

# netns_init: install the cleanup trap and make sure udpx is there (built
# if stale, unless $UDPX was given); call once, before creating anything
netns_init() {
	trap netns_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM HUP
	if [ "$UDPX" = "$NETNS_REPO/build/tools/udpx" ]; then
		netns_build_tool udpx || fail "cannot build $UDPX"
	fi
	[ -x "$UDPX" ] || fail "no udpx at $UDPX"
}

# netns_reap_stale: delete tl-<pid>-* namespaces whose test process is
# gone (a run killed with SIGKILL cannot clean up after itself)
netns_reap_stale() {
	local ns pid
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		[[ $ns =~ ^tl-([0-9]+)- ]] || continue
		pid=${BASH_REMATCH[1]}
		kill -0 "$pid" 2>/dev/null && continue
		echo "netns: removing stale namespace $ns"
		ip netns del "$ns" 2>/dev/null || true
	done
}

# netns_add ROLE: create namespace tl-<pid>-ROLE, lo up, no DAD
netns_add() {
	local ns
	ns=$(netns_name "$1")
	ip netns add "$ns" || fail "cannot create namespace $ns"
	NETNS_CREATED+=("$ns")
	ip -n "$ns" link set lo up
	# addresses usable at once, the link-local ones too
	nsx "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
}

# netns_link NET ROLE_A ROLE_B: a veth pair between two namespaces,
# side a in ROLE_A, side b in ROLE_B, addressed as link NET (0-255)
netns_link() {
	local net=$1 ra=$2 rb=$3 ia ib r s i
	ia=$(netns_ifname "$net" a)
	ib=$(netns_ifname "$net" b)
	ip link add "$ia" netns "$(netns_name "$ra")" type veth \
		peer name "$ib" netns "$(netns_name "$rb")" ||
		fail "cannot create veth $ia/$ib"
	for s in a b; do
		r=$ra i=$ia
		[ $s = b ] && r=$rb i=$ib
		nsx "$r" ip addr add "$(netns_ip4 "$net" $s)/24" dev "$i"
		nsx "$r" ip addr add "$(netns_ip6 "$net" $s)/64" dev "$i" nodad
		nsx "$r" ip link set "$i" up
	done
	if ! netns_wait_up "$ra" "$ia" || ! netns_wait_up "$rb" "$ib"; then
		fail "veth $ia/$ib did not come up"
	fi
}

# netns_wait_up ROLE IFNAME: wait (5 s at most) until IFNAME's operstate
# is up. The kernel reports carrier asynchronously (linkwatch, up to a
# second late), and until then IPv6 neighbour discovery to the peer
# fails and its first retry comes a second later.
netns_wait_up() {
	local i
	for ((i = 0; i < 250; i++)); do
		[ "$(nsx "$1" cat "/sys/class/net/$2/operstate")" = up ] &&
			return 0
		sleep 0.02
	done
	return 1
}

# netns_topo_pair: namespaces a and b on one veth pair (link 1). Sets
# NS_A NS_B IF_A IF_B A_IP4 B_IP4 A_IP6 B_IP6.
netns_topo_pair() {
	netns_add a
	netns_add b
	netns_link 1 a b
	NS_A=$(netns_name a) NS_B=$(netns_name b)
	IF_A=$(netns_ifname 1 a) IF_B=$(netns_ifname 1 b)
	A_IP4=$(netns_ip4 1 a) B_IP4=$(netns_ip4 1 b)
	A_IP6=$(netns_ip6 1 a) B_IP6=$(netns_ip6 1 b)
	export NS_A NS_B IF_A IF_B A_IP4 B_IP4 A_IP6 B_IP6
}

# netns_topo_gw: peer a -- gw -- peer b, the gateway forwarding IPv4
# and IPv6 in the kernel; the peers route everything through it.
#   link 1: gw 198.18.1.1 (IF_GW_A)  <->  a 198.18.1.2 (IF_A)
#   link 2: gw 198.18.2.1 (IF_GW_B)  <->  b 198.18.2.2 (IF_B)
# Sets NS_A NS_GW NS_B, IF_A IF_GW_A IF_GW_B IF_B, A_IP4 B_IP4 A_IP6
# B_IP6 and the gateway's GW_A_IP4 GW_B_IP4 GW_A_IP6 GW_B_IP6.
netns_topo_gw() {
	netns_add a
	netns_add gw
	netns_add b
	nsx gw sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	netns_link 1 gw a
	netns_link 2 gw b
	NS_A=$(netns_name a) NS_GW=$(netns_name gw) NS_B=$(netns_name b)
	IF_GW_A=$(netns_ifname 1 a) IF_A=$(netns_ifname 1 b)
	IF_GW_B=$(netns_ifname 2 a) IF_B=$(netns_ifname 2 b)
	GW_A_IP4=$(netns_ip4 1 a) A_IP4=$(netns_ip4 1 b)
	GW_B_IP4=$(netns_ip4 2 a) B_IP4=$(netns_ip4 2 b)
	GW_A_IP6=$(netns_ip6 1 a) A_IP6=$(netns_ip6 1 b)
	GW_B_IP6=$(netns_ip6 2 a) B_IP6=$(netns_ip6 2 b)
	nsx a ip route add default via "$GW_A_IP4"
	nsx a ip -6 route add default via "$GW_A_IP6"
	nsx b ip route add default via "$GW_B_IP4"
	nsx b ip -6 route add default via "$GW_B_IP6"
	export NS_A NS_GW NS_B IF_A IF_GW_A IF_GW_B IF_B A_IP4 B_IP4 A_IP6 \
		B_IP6 GW_A_IP4 GW_B_IP4 GW_A_IP6 GW_B_IP6
}

# netns_bg ROLE OUTFILE CMD...: run CMD in ROLE's namespace in the
# background, output to OUTFILE; its PID in NETNS_LAST_PID, killed at exit
netns_bg() {
	local role=$1 out=$2
	shift 2
	# not through nsx: a function would fork a subshell, and $! must be
	# the process itself (ip netns exec execs CMD in place)
	ip netns exec "$(netns_name "$role")" "$@" >"$out" 2>&1 &
	NETNS_LAST_PID=$!
	NETNS_PIDS+=("$NETNS_LAST_PID")
}

# netns_wait_udp ROLE PORT [TRIES]: wait until a UDP socket is bound to
# PORT in ROLE's namespace; 20 ms a try, 250 tries (5 s) unless told
netns_wait_udp() {
	local role=$1 port=$2 tries=${3:-250} i
	for ((i = 0; i < tries; i++)); do
		[ -n "$(nsx "$role" ss -Hnlu "sport = :$port")" ] && return 0
		sleep 0.02
	done
	return 1
}

# netns_if_stat ROLE IFNAME COUNTER: an interface counter, e.g. tx_packets
netns_if_stat() {
	nsx "$1" cat "/sys/class/net/$2/statistics/$3"
}

# netns_build_tool NAME: build build/tools/NAME from tests/tools/NAME.c
# if it is missing or older than its source (the Makefile does the same;
# this keeps the tier runnable on its own). Atomic, so concurrent runs
# never see a half-written binary.
netns_build_tool() {
	local src="$NETNS_REPO/tests/tools/$1.c" bin="$NETNS_REPO/build/tools/$1"
	[ -f "$src" ] || { echo "netns: no $src" >&2; return 1; }
	[ -x "$bin" ] && [ ! "$src" -nt "$bin" ] && return 0
	mkdir -p "$(dirname "$bin")"
	${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
		-o "$bin.tmp.$$" "$src" || { rm -f "$bin.tmp.$$"; return 1; }
	mv -f "$bin.tmp.$$" "$bin"
}

# udp_stream FROM TO DST_ADDR PORT COUNT [INTERVAL_US]: send COUNT udpx
# packets from namespace FROM to DST_ADDR:PORT, received in namespace
# TO; fails the test unless all arrive, in order, with none extra.
udp_stream() {
	local from=$1 to=$2 addr=$3 port=$4 count=$5 interval=${6:-500}
	local out rc line wait_ms want
	# the stream's own duration, plus 3 s for setup and stragglers
	wait_ms=$((count * interval / 1000 + 3000))
	out=$(mktemp)
	log "stream $count packets: $from -> $to [$addr]:$port"
	netns_bg "$to" "$out" "$UDPX" recv "$addr" "$port" "$count" "$wait_ms"
	netns_wait_udp "$to" "$port" || fail "udpx recv did not bind [$addr]:$port"
	nsx "$from" "$UDPX" send "$addr" "$port" "$count" "$interval" ||
		fail "udpx send to [$addr]:$port failed"
	rc=0
	wait "$NETNS_LAST_PID" || rc=$?
	line=$(cat "$out")
	rm -f "$out"
	log "$line"
	[ "$rc" = 0 ] || fail "$from -> $to [$addr]:$port: udpx recv exit $rc: $line"
	want="received=$count lost=0 out-of-order=0 duplicates=0 bad=0"
	want+=" bytes=$((count * 172)) "
	[[ $line == *" $want"* ]] ||
		fail "$from -> $to [$addr]:$port: unexpected summary: $line"
}
