# Test topology in network namespaces. Source this file, then:
#
#   netns_pair P        two hosts joined by a veth pair:
#                         $P-a: gt0  10.200.0.1/24  fd00:200::1/64  02:00:00:00:00:01
#                         $P-b: gt1  10.200.0.2/24  fd00:200::2/64  02:00:00:00:00:02
#                       $P-a's default route goes through gt0 (via $P-b), so the
#                       "default-route interface" of $P-a is the veth.
#   netns_chain P N     adds routers after $P-b for traceroute: $P-r1 .. $P-rN, each hop
#                       a /24 (10.201.K.0) with forwarding on; the last one is the target.
#   netns_teardown P    deletes every namespace named $P-*; safe to call twice.
#   GT_TEST_TCP_LOSS=N  (environment) netns_pair's hosts drop N% of the TCP
#                       segments they receive: `GT_TEST_TCP_LOSS=2 tests/run.sh`
#                       checks that the tests hold under loss.
#   in_a CMD / in_b CMD run CMD inside $P-a / $P-b (P from the last netns_pair).
#
# Namespaces hold their own interfaces and addresses, so concurrent runs with
# different prefixes never collide. Use a prefix unique per run, e.g. gt$$.
# Traffic stays between these namespaces: nothing here routes to the outside.

NETNS_A_IP=10.200.0.1
NETNS_B_IP=10.200.0.2
NETNS_A_IP6=fd00:200::1
NETNS_B_IP6=fd00:200::2
NETNS_A_MAC=02:00:00:00:00:01
NETNS_B_MAC=02:00:00:00:00:02
NETNS_A_IF=gt0
NETNS_B_IF=gt1

netns_pair() {
	local p=$1
	NETNS_P=$p
	ip netns add "$p-a" && ip netns add "$p-b" || return 1
	ip link add "$NETNS_A_IF" netns "$p-a" address "$NETNS_A_MAC" type veth \
		peer name "$NETNS_B_IF" netns "$p-b" address "$NETNS_B_MAC" || return 1
	local ns ifc ip ip6
	for side in a b; do
		ns=$p-$side
		if [ $side = a ]; then ifc=$NETNS_A_IF ip=$NETNS_A_IP ip6=$NETNS_A_IP6
		else ifc=$NETNS_B_IF ip=$NETNS_B_IP ip6=$NETNS_B_IP6; fi
		ip -n "$ns" link set lo up
		ip -n "$ns" addr add "$ip/24" dev "$ifc"
		ip -n "$ns" addr add "$ip6/64" dev "$ifc" nodad
		ip -n "$ns" link set "$ifc" up
	done
	netns_tcp_loss "$p"
	ip -n "$p-a" route add default via "$NETNS_B_IP" dev "$NETNS_A_IF"
	ip -n "$p-a" -6 route add default via "$NETNS_B_IP6" dev "$NETNS_A_IF"
	# wait until both ends are up and the link-local addresses are usable
	local i
	for i in $(seq 50); do
		ip netns exec "$p-a" ping -c1 -W1 -q "$NETNS_B_IP" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "netns_pair: $p-a cannot reach $p-b" >&2
	return 1
}

# GT_TEST_TCP_LOSS=N: both hosts drop N% of the TCP segments they receive (nft),
# to check that the tests hold when a loaded machine's veths drop segments
netns_tcp_loss() {
	local side
	[ -n "${GT_TEST_TCP_LOSS:-}" ] || return 0
	for side in a b; do
		ip netns exec "$1-$side" nft -f - <<-EOF
		table inet gtloss {
			chain in {
				type filter hook input priority 0;
				meta l4proto tcp numgen random mod 100 < $GT_TEST_TCP_LOSS drop
			}
		}
		EOF
	done
}

netns_chain() {
	local p=$1 n=$2 k prev prev_if
	ip netns exec "$p-b" sysctl -qw net.ipv4.ip_forward=1
	prev=$p-b
	for k in $(seq 1 "$n"); do
		ip netns add "$p-r$k" || return 1
		ip -n "$p-r$k" link set lo up
		ip link add "up$k" netns "$prev" type veth peer name "down$k" netns "$p-r$k" || return 1
		ip -n "$prev" addr add "10.201.$k.1/24" dev "up$k"
		ip -n "$p-r$k" addr add "10.201.$k.2/24" dev "down$k"
		ip -n "$prev" link set "up$k" up
		ip -n "$p-r$k" link set "down$k" up
		ip netns exec "$p-r$k" sysctl -qw net.ipv4.ip_forward=1
		ip -n "$p-r$k" route add default via "10.201.$k.1"
		# every earlier hop learns the way to this new subnet
		local j
		[ "$k" -gt 1 ] && ip -n "$p-b" route replace "10.201.$k.0/24" via "10.201.1.2"
		for j in $(seq 1 $((k - 2))); do
			ip -n "$p-r$j" route replace "10.201.$k.0/24" via "10.201.$((j + 1)).2"
		done
		prev=$p-r$k
	done
	return 0
}

netns_teardown() {
	local p=$1 ns
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$p-" || true); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

in_a() { ip netns exec "$NETNS_P-a" "$@"; }
in_b() { ip netns exec "$NETNS_P-b" "$@"; }
