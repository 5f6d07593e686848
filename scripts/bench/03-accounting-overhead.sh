#!/usr/bin/env bash
# Part 3: what watching costs the traffic. iperf3 from namespace b to a over the
# veth (so the data arrives on gt0's ingress hook, where the hook choice matters),
# TCP throughput and UDP packet rate (64-byte datagrams), with nothing attached,
# with gotracer --account on each ingress hook, with full capture to pcapng, and
# with tcpdump -w /dev/null. Medians of ROUNDS runs of SECS seconds.
source scripts/bench/lib.sh
source scripts/netns.sh
bench_title "3. Accounting overhead (iperf3 b -> a over a veth, median of $ROUNDS runs of ${SECS:=4}s)"
P=gtbench$$
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; netns_teardown $P; rm -rf $tmp' EXIT
netns_pair "$P" >/dev/null || { bench_skip "cannot build the namespaces"; exit 0; }

# one measurement: prints Gbit/s (tcp) or kpps received (udp)
measure() {
	local kind=$1 r
	in_a iperf3 -s -1 >/dev/null 2>&1 &
	local srv=$!
	sleep 0.3
	if [ "$kind" = tcp ]; then
		r=$(in_b iperf3 -c "$NETNS_A_IP" -t "$SECS" -J 2>/dev/null |
			jq '.end.sum_received.bits_per_second / 1e9')
	else
		r=$(in_b iperf3 -c "$NETNS_A_IP" -u -b 0 -l 64 -t "$SECS" -J 2>/dev/null |
			jq '(.end.sum.packets - .end.sum.lost_packets) / .end.sum.seconds / 1e3')
	fi
	wait "$srv" 2>/dev/null
	echo "${r:-nan}"
}

# start a watcher in namespace a, wait until it has attached; sets WATCHER to its
# pid (ip netns exec execs the tool, so the signal that stops it reaches it)
start_watcher() {
	local log=$tmp/watch.log i
	: >"$log"
	ip netns exec "$NETNS_P-a" "$@" >/dev/null 2>"$log" &
	WATCHER=$!
	for i in $(seq 50); do
		grep -qE 'ingress on|listening on' "$log" && break
		sleep 0.1
	done
	sleep 0.3
	kill -0 "$WATCHER" 2>/dev/null || { echo "watcher did not start: $(grep -m1 . "$log")" >&2; WATCHER=; }
}

configs=(
	"nothing attached|"
	"gotracer --account (auto)|$GOTRACER capture -i gt0 --account"
	"gotracer --account --hook tc|$GOTRACER capture -i gt0 --account --hook tc"
	"gotracer --account --hook xdp-generic|$GOTRACER capture -i gt0 --account --hook xdp-generic"
	"gotracer --account --hook xdp|$GOTRACER capture -i gt0 --account --hook xdp"
	"gotracer capture -w pcapng|$GOTRACER capture -i gt0 -w $tmp/x.pcapng"
	"tcpdump -w /dev/null|tcpdump -i gt0 -n -w /dev/null"
)
# rounds outside, watchers inside: a change in the shared machine's load touches
# every watcher alike instead of whichever was being measured at the time
declare -A tcp udp
for ((r = 0; r < ROUNDS; r++)); do
	for c in "${configs[@]}"; do
		name=${c%%|*}; cmd=${c#*|}
		WATCHER=
		[ -n "$cmd" ] && start_watcher $cmd
		tcp[$name]+="$(measure tcp) "
		udp[$name]+="$(measure udp) "
		if [ -n "$WATCHER" ]; then kill -INT "$WATCHER" 2>/dev/null; wait "$WATCHER" 2>/dev/null; fi
	done
done
printf '%-38s %10s %7s %10s %7s\n' watcher "TCP Gb/s" ratio "UDP kpps" ratio
base_tcp=; base_udp=
for c in "${configs[@]}"; do
	name=${c%%|*}
	t=$(tr ' ' '\n' <<<"${tcp[$name]}" | grep . | median)
	u=$(tr ' ' '\n' <<<"${udp[$name]}" | grep . | median)
	base_tcp=${base_tcp:-$t}; base_udp=${base_udp:-$u}
	awk -v n="$name" -v t="$t" -v u="$u" -v bt="$base_tcp" -v bu="$base_udp" \
		'BEGIN {printf "%-38s %10.2f %7.2f %10.1f %7.2f\n", n, t, t / bt, u, u / bu}'
done
echo "(ratio: throughput with the watcher over throughput with nothing attached; the"
echo " watchers take turns within each round; UDP kpps is bounded by the iperf3 sender's CPU)"
